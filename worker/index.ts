import { createApp } from "./app.ts";
import type { Env } from "./isolate/env.ts";
import { handleEventQueue } from "./queue/forward-events.ts";

const app = createApp();

// Only the default export: workerd treats every named export of the entry module as an entrypoint.
export default {
  async fetch(request, env, ctx) {
    try {
      return await app.fetch(request, env, ctx);
    } catch (error) {
      // Hono sends a route's errors to app.onError; this catches what fails outside it, so that even
      // then the client gets the edge's JSON error rather than workerd's plain-text 500.
      console.error(`request failed outside the app's error handler: ${describe(error)}`);
      const body = { error: { code: "internal_error", message: "the edge failed to handle this request" } };
      return Response.json(body, { status: 500 });
    }
  },
  // Consumes EVENTS_QUEUE when wrangler.toml declares this Worker its consumer; unused otherwise.
  async queue(batch, env) {
    try {
      await handleEventQueue(batch, env);
    } catch (error) {
      // Messages not yet settled are redelivered (the whole batch when nothing was settled).
      console.error(`events queue ${batch.queue}: the consumer failed: ${describe(error)}`);
      throw error;
    }
  },
} satisfies ExportedHandler<Env>;

function describe(error: unknown): string {
  return error instanceof Error ? (error.stack ?? error.message) : String(error);
}

import { createApp } from "./app.ts";
import type { Env } from "./env.ts";
import { handleEventQueue } from "./queue/forward-events.ts";

const app = createApp();

// Only the default export: workerd treats every named export of the entry module as an entrypoint.
export default {
  fetch: app.fetch,
  // Consumes EVENTS_QUEUE when wrangler.toml declares this Worker its consumer; unused otherwise.
  queue: handleEventQueue,
} satisfies ExportedHandler<Env>;

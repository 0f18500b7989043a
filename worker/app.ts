import { Hono } from "hono";
import { createEdgeState } from "./edge-state.ts";
import type { Env } from "./env.ts";
import { apiError } from "./http/api-error.ts";
import { healthRoutes } from "./routes/health.ts";
import { scoreRoutes } from "./routes/score.ts";

/** The edge's HTTP API. One app per isolate; its state lives as long as the isolate. */
export function createApp() {
  const state = createEdgeState();
  const app = new Hono<{ Bindings: Env }>();
  app.route("/", healthRoutes(state));
  app.route("/", scoreRoutes(state));
  app.notFound((c) =>
    apiError(c, 404, "not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  );
  app.onError((error, c) => {
    console.error(`unhandled error on ${c.req.method} ${c.req.url}:`, error);
    return apiError(c, 500, "internal_error", "the edge failed to handle this request; it has been logged");
  });
  return app;
}

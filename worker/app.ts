import { OpenAPIHono } from "@hono/zod-openapi";
import { timing } from "hono/timing";
import { ApiError } from "../models/contracts/index.ts";
import { apiError } from "./http/api-error.ts";
import { apiKeyAuth } from "./http/api-key-auth.ts";
import { listedOriginsCors, timingOrigin } from "./http/cors.ts";
import { registerDocsRoutes } from "./http/docs-routes.ts";
import type { EdgeContext } from "./http/edge-context.ts";
import { requestId } from "./http/request-id.ts";
import { requestMetrics } from "./http/request-metrics.ts";
import { createEdgeState, type EdgeState } from "./isolate/edge-state.ts";
import { InvalidSettingsError, settings } from "./isolate/settings.ts";
import { eventRoutes } from "./routes/events.ts";
import { healthRoutes } from "./routes/health.ts";
import { predictRoutes } from "./routes/predict.ts";
import { rankRoutes } from "./routes/rank.ts";
import { recommendationRoutes } from "./routes/recommendations.ts";
import { rewardRoutes } from "./routes/reward.ts";
import { scoreRoutes } from "./routes/score.ts";
import { sentimentRoutes } from "./routes/sentiment.ts";
import { similarItemRoutes } from "./routes/similar-items.ts";

/** The edge's HTTP API. One app per isolate; its state lives as long as the isolate. */
export function createApp() {
  let state: EdgeState | undefined;
  const app = new OpenAPIHono<EdgeContext>();
  app.use(requestId());
  app.use(requestMetrics());
  app.use(async (c, next) => {
    state ??= createEdgeState(settings(c.env));
    c.set("state", state);
    await next();
  });
  app.use(listedOriginsCors());
  // Server-Timing shows where a request's time went (KV, each model, the decision engine).
  app.use(timing({ total: true, crossOrigin: timingOrigin }));
  app.route("/", healthRoutes());
  // The OpenAPI document and the docs page need no key, like /health.
  registerDocsRoutes(app);
  app.use(apiKeyAuth());
  app.route("/", scoreRoutes());
  app.route("/", eventRoutes());
  app.route("/", recommendationRoutes());
  app.route("/", similarItemRoutes());
  app.route("/", sentimentRoutes());
  app.route("/", predictRoutes());
  app.route("/", rankRoutes());
  app.route("/", rewardRoutes());
  app.notFound((c) =>
    apiError(c, 404, "not_found", `no route for ${c.req.method} ${new URL(c.req.url).pathname}`),
  );
  // Every route's errors end here (sub-apps mounted with route() have no handler of their own), so
  // nothing reaches a client as workerd's plain-text 500.
  app.onError((error, c) => {
    if (error instanceof ApiError) {
      // As the origin's answerError does: a refusal that names when to come back says so.
      if (error.retryAfterSeconds !== undefined) {
        c.header("Retry-After", String(error.retryAfterSeconds));
      }
      return apiError(c, error.status, error.code, error.message);
    }
    if (error instanceof InvalidSettingsError) {
      console.error(error.message);
      return apiError(
        c,
        500,
        "invalid_configuration",
        "this edge's configuration is invalid; its logs name the setting",
      );
    }
    console.error(`unhandled error on ${c.req.method} ${new URL(c.req.url).pathname}:`, error);
    return apiError(c, 500, "internal_error", "the edge failed to handle this request; it has been logged");
  });
  return app;
}

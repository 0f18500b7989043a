/**
 * GET /metrics: the process's Prometheus metrics as text (origin/metrics.ts). Open unless the server is
 * given a key (METRICS_API_KEY), then a bearer key as on the other routes.
 */
import { createRoute, type OpenAPIHono, z } from "@hono/zod-openapi";
import { requireApiKey } from "../ingest/index.ts";
import { metricsRegistry } from "../metrics.ts";

const metricsRoute = createRoute({
  method: "get",
  path: "/metrics",
  operationId: "getMetrics",
  summary: "Prometheus metrics of this process (text exposition format)",
  description:
    "Requests by route and status with latency histograms, records stored, duplicate and rejected by " +
    "reason, training and learning runs with durations and outcomes, publishes, and each serving model's " +
    "headline metric. Open unless METRICS_API_KEY is set.",
  responses: {
    200: {
      description: "Prometheus text",
      content: { "text/plain": { schema: z.string() } },
    },
  },
});

export function registerMetricsRoute(app: OpenAPIHono, key: string | undefined): void {
  if (key !== undefined) {
    app.openAPIRegistry.registerComponent("securitySchemes", "metricsKey", {
      type: "http",
      scheme: "bearer",
    });
    app.use("/metrics", requireApiKey(key));
  }
  app.openapi(
    key === undefined
      ? { ...metricsRoute, security: [] }
      : { ...metricsRoute, security: [{ metricsKey: [] }] },
    async (c) =>
      c.text(await metricsRegistry.metrics(), 200, { "content-type": metricsRegistry.contentType }),
  );
}

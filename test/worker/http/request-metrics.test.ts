/**
 * The edge's per-request data points for Workers Analytics Engine. The dataset is Cloudflare's service,
 * which no local runtime provides (Miniflare's stand-in drops every point), so the binding here is an
 * object that keeps what it is given; the middleware and the routes are the real ones.
 */
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { type DataPointSink, requestMetrics } from "../../../worker/http/request-metrics.ts";

type DataPoint = Parameters<DataPointSink["writeDataPoint"]>[0];
type Bindings = { REQUEST_METRICS?: DataPointSink };

function appWithDataset() {
  const points: DataPoint[] = [];
  const dataset: DataPointSink = { writeDataPoint: (point) => points.push(point) };
  const app = new Hono<{ Bindings: Bindings }>();
  app.use(requestMetrics());
  app.get("/recommendations", (c) => c.json({ items: [], degraded: true }));
  app.get("/items/:id/similar", (c) => c.json({ items: [], degraded: false }));
  app.get("/health", (c) => c.json({ status: "ok", degraded: true }));
  const env: Bindings = { REQUEST_METRICS: dataset };
  return { points, request: (path: string) => app.request(path, {}, env), app };
}

describe("requestMetrics", () => {
  it("writes one data point per request with the route pattern, status and whether it degraded", async () => {
    const { points, request } = appWithDataset();
    await request("/recommendations?user_id=u-1");
    await request("/items/item-7/similar");
    await request("/nowhere");
    expect(points.map((p) => [p.indexes, p.blobs?.slice(0, 4), p.doubles?.[0]])).toEqual([
      [["/recommendations"], ["GET", "/recommendations", "2xx", "degraded"], 200],
      [["/items/:id/similar"], ["GET", "/items/:id/similar", "2xx", ""], 200],
      [["unmatched"], ["GET", "unmatched", "4xx", ""], 404],
    ]);
    expect(points.every((p) => typeof p.doubles?.[1] === "number")).toBe(true);
  });

  it("reads `degraded` only from the routes that answer it", async () => {
    const { points, request } = appWithDataset();
    await request("/health");
    expect(points[0]?.blobs?.[3]).toBe("");
  });

  it("writes nothing without the binding", async () => {
    const app = new Hono<{ Bindings: Bindings }>();
    app.use(requestMetrics());
    app.get("/recommendations", (c) => c.json({ degraded: true }));
    const response = await app.request("/recommendations", {}, {} satisfies Bindings);
    expect(response.status).toBe(200);
  });
});

/**
 * The edge's request figures in Workers Analytics Engine, when the REQUEST_METRICS dataset is bound
 * (wrangler.toml, opt-in): one data point per request, written after the answer, off the request's
 * critical path (writeDataPoint does not wait). Without the binding this costs one property read.
 *
 *   index1   the route pattern (`/items/:id/similar`), the sampling key
 *   blob1    the method;  blob2 the route pattern;  blob3 the status class (2xx…);  blob4 "degraded" or ""
 *   double1  the status;  double2 the time to answer in ms (workerd's clock moves only across I/O, so
 *            this is the time spent waiting on KV and the origin, not compute)
 *
 * Query with the Analytics Engine SQL API, e.g. the degraded share per route over an hour:
 *   SELECT blob2 AS route, SUM(_sample_interval * (blob4 = 'degraded')) / SUM(_sample_interval)
 *   FROM edgewise_requests WHERE timestamp > NOW() - INTERVAL '1' HOUR GROUP BY route
 */
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";

/**
 * What the middleware needs of Analytics Engine's dataset binding, written out (structurally the same)
 * so that Node tests import this module without workerd's types.
 */
export interface DataPointSink {
  writeDataPoint(point: { indexes?: string[]; blobs?: string[]; doubles?: number[] }): void;
}

type MetricsContext = { Bindings: { REQUEST_METRICS?: DataPointSink } };

/** Routes whose JSON answer carries `degraded`: only theirs is read back. */
const MAY_DEGRADE = new Set([
  "/recommendations",
  "/items/:id/similar",
  "/analyze-sentiment",
  "/predict",
  "/rank",
]);

function routeOf(c: Context<MetricsContext>): string {
  return (
    matchedRoutes(c)
      .filter((route) => route.method !== "ALL")
      .at(-1)?.path ?? "unmatched"
  );
}

async function degraded(c: Context<MetricsContext>, route: string): Promise<boolean> {
  if (!MAY_DEGRADE.has(route) || !c.res.headers.get("content-type")?.includes("json")) {
    return false;
  }
  const body = (await c.res
    .clone()
    .json()
    .catch(() => null)) as { degraded?: unknown } | null;
  return body?.degraded === true;
}

export function requestMetrics(): MiddlewareHandler<MetricsContext> {
  return async (c, next) => {
    const dataset = c.env.REQUEST_METRICS;
    if (dataset === undefined) {
      return next();
    }
    const startMs = Date.now();
    await next();
    const route = routeOf(c);
    const status = c.res.status;
    dataset.writeDataPoint({
      indexes: [route],
      blobs: [
        c.req.method,
        route,
        `${Math.floor(status / 100)}xx`,
        (await degraded(c, route)) ? "degraded" : "",
      ],
      doubles: [status, Date.now() - startMs],
    });
  };
}

/**
 * Every request, observed once at the door: a request id (the caller's `X-Request-Id` when it sends a
 * sane one, as the edge does when it forwards, else a new UUID), echoed in the answer; one JSON log line
 * when it has been answered; the request counter and latency histogram by route pattern; and, for the
 * batch routes, what happened to their records.
 *
 * The log line holds chosen fields only: never a header (keys travel in them) nor a body.
 */
import { randomUUID } from "node:crypto";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { ORIGIN_BATCH_PATHS, REQUEST_ID_HEADER } from "../../models/contracts/index.ts";
import type { Logger } from "../log.ts";
import {
  type BatchCounts,
  countBatchOutcome,
  httpRequestDuration,
  httpRequests,
  secondsSince,
} from "../metrics.ts";

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

const BATCH_KINDS = new Map<string, "event" | "decision" | "reward">(
  Object.entries(ORIGIN_BATCH_PATHS).map(([kind, path]) => [path, kind as "event" | "decision" | "reward"]),
);

declare module "hono" {
  interface ContextVariableMap {
    /** This request's id (observeRequests), for log lines written while answering it. */
    requestId: string;
  }
}

/** The route pattern that answered (`/v1/experiments/:id/results`), or `unmatched`. */
function routeOf(c: Context): string {
  const handlers = matchedRoutes(c).filter((route) => route.method !== "ALL");
  return handlers.at(-1)?.path ?? "unmatched";
}

export function observeRequests(log: Logger): MiddlewareHandler {
  return async (c, next) => {
    const startNs = process.hrtime.bigint();
    const given = c.req.header(REQUEST_ID_HEADER);
    const requestId = given !== undefined && SANE_REQUEST_ID.test(given) ? given : randomUUID();
    c.set("requestId", requestId);
    await next();
    c.header(REQUEST_ID_HEADER, requestId);
    const seconds = secondsSince(startNs);
    const route = routeOf(c);
    const status = c.res.status;
    httpRequests.inc({ method: c.req.method, route, status: String(status) });
    httpRequestDuration.observe({ method: c.req.method, route }, seconds);
    const kind = BATCH_KINDS.get(c.req.path);
    if (kind !== undefined && c.req.method === "POST" && (status === 200 || status === 422)) {
      countBatchOutcome(kind, (await c.res.clone().json()) as BatchCounts);
    }
    log.info(
      {
        req_id: requestId,
        method: c.req.method,
        route,
        path: c.req.path,
        status,
        ms: Math.round(seconds * 1e4) / 10,
        ...(given !== undefined && given !== requestId ? { given_req_id_refused: true } : {}),
      },
      "request",
    );
  };
}

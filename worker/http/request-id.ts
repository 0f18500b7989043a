/**
 * Each request's id: the caller's `X-Request-Id` when it is a sane token, else Cloudflare's `cf-ray`,
 * else a new UUID. Echoed in the answer, and sent to the origin with the events, decisions and rewards
 * the request forwards, so the origin's log line for that batch carries the same id.
 */
import type { MiddlewareHandler } from "hono";
import { REQUEST_ID_HEADER } from "../../models/contracts/index.ts";
import type { EdgeContext } from "./edge-context.ts";

const SANE_REQUEST_ID = /^[A-Za-z0-9._:-]{1,128}$/;

export function requestId(): MiddlewareHandler<EdgeContext> {
  return async (c, next) => {
    const given = c.req.header(REQUEST_ID_HEADER) ?? c.req.header("cf-ray");
    const id = given !== undefined && SANE_REQUEST_ID.test(given) ? given : crypto.randomUUID();
    c.set("requestId", id);
    await next();
    c.header(REQUEST_ID_HEADER, id);
  };
}

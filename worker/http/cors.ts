import type { Context, MiddlewareHandler } from "hono";
import { cors } from "hono/cors";
import type { EdgeContext } from "./edge-context.ts";

/**
 * CORS for the browser origins listed in CORS_ORIGINS, and nothing for anyone else: a request from an
 * origin not listed (every origin, when the list is empty) gets no Access-Control-* header at all, so
 * the browser blocks the call. A preflight the edge does not grant is answered 204 with no grant (the
 * same status a granted one gets; the headers alone decide), before the API key check, which a
 * preflight could never pass as browsers send it without credentials.
 */
export function listedOriginsCors(): MiddlewareHandler<EdgeContext> {
  const grant = cors({
    origin: (origin) => origin,
    allowHeaders: ["Authorization", "X-API-Key", "Content-Type"],
    exposeHeaders: ["Server-Timing"],
    maxAge: 600,
  });
  return async (c, next) => {
    const listed = c.var.state.settings.CORS_ORIGINS;
    const origin = c.req.header("origin");
    if (origin !== undefined && listed.includes(origin)) {
      return grant(c, next);
    }
    if (c.req.method === "OPTIONS" && c.req.header("access-control-request-method") !== undefined) {
      return c.body(null, 204, listed.length > 0 ? { Vary: "Origin" } : {});
    }
    await next();
    if (listed.length > 0) {
      // The answer depends on the Origin header once some origins get a grant: caches must know.
      c.res.headers.append("Vary", "Origin");
    }
  };
}

/** Server-Timing is readable cross-origin only by the origins CORS grants. */
export function timingOrigin(c: Context<EdgeContext>): string | false {
  const origin = c.req.header("origin");
  return origin !== undefined && c.var.state.settings.CORS_ORIGINS.includes(origin) ? origin : false;
}

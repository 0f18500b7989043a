import { createHash, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { ApiError } from "../../../models/contracts/index.ts";

const digest = (value: string) => createHash("sha256").update(value).digest();

/**
 * Requires the ingestion key as `Authorization: Bearer <key>` or `X-API-Key: <key>`. Compares digests in
 * constant time, so neither the key's content nor its length leaks through timing.
 */
export function requireApiKey(apiKey: string): MiddlewareHandler {
  const expected = digest(apiKey);
  return async (c, next) => {
    const bearer = c.req.header("authorization")?.match(/^Bearer\s+(.+)$/i)?.[1];
    const presented = bearer ?? c.req.header("x-api-key");
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      c.header("WWW-Authenticate", 'Bearer realm="edgewise-ingest"');
      throw new ApiError(
        401,
        presented === undefined ? "missing_api_key" : "invalid_api_key",
        "send the ingestion key as 'Authorization: Bearer <key>' or 'X-API-Key: <key>'",
      );
    }
    await next();
  };
}

import type { MiddlewareHandler } from "hono";
import { ApiKeyRecord, hashApiKey, kvKeys } from "../../models/contracts/index.ts";
import { TtlCache } from "../cache/ttl-cache.ts";
import { readJson } from "../store/read-json.ts";
import { apiError } from "./api-error.ts";
import type { EdgeContext } from "./edge-context.ts";

/** How long an isolate trusts a key check; revoking a key takes effect within this. */
const keyCacheTtlMs = 60_000;
/** Keys remembered as presented: an isolate serves a few, and a flood of others keeps this bounded. */
const recentKeys = 256;

/**
 * Requires an API key (`Authorization: Bearer <key>` or `X-API-Key: <key>`) whose SHA-256 has a
 * record in KV. Checks are cached per isolate, valid and invalid alike, so a flood of bad keys
 * costs at most one KV read per distinct key per minute. The few most recent keys are also remembered
 * as presented, until their check expires: a request with one of them skips the SHA-256 (a tenth of
 * a /recommendations request's CPU in workerd).
 */
export function apiKeyAuth(): MiddlewareHandler<EdgeContext> {
  const checked = new TtlCache<boolean>(10_000);
  const presented = new TtlCache<boolean>(recentKeys);
  return async (c, next) => {
    if (c.var.state.settings.REQUIRE_API_KEY === "false") {
      return next();
    }
    const key = presentedKey(c.req.header("authorization"), c.req.header("x-api-key"));
    if (!key) {
      return apiError(
        c,
        401,
        "missing_api_key",
        "send an API key as 'Authorization: Bearer <key>' or 'X-API-Key'",
      );
    }
    let valid = presented.get(key, Date.now());
    if (valid === undefined) {
      const hash = await hashApiKey(key);
      const now = Date.now();
      valid = checked.get(hash, now);
      if (valid === undefined) {
        const record = ApiKeyRecord.safeParse(await readJson(c.env.MODELS, kvKeys.apiKey(hash)));
        valid = record.success && record.data.revokedAt === undefined;
        checked.set(hash, valid, now + keyCacheTtlMs);
      }
      presented.set(key, valid, checked.peek(hash)?.expiresAtMs ?? now);
    }
    if (!valid) {
      return apiError(c, 401, "invalid_api_key", "this API key is unknown or revoked");
    }
    return next();
  };
}

function presentedKey(authorization: string | undefined, xApiKey: string | undefined): string | null {
  const bearer = authorization?.match(/^Bearer\s+(\S{1,512})$/i)?.[1];
  const key = bearer ?? xApiKey?.trim();
  return key && key.length <= 512 ? key : null;
}

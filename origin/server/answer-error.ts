/**
 * The origin's one error handler, behind every route: an ApiError a handler threw is answered with its
 * status, code and message (and Retry-After when it names one); a refusal Hono raised keeps its status;
 * anything else is a bug, logged with its stack and answered without internals.
 */
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import { ApiError, apiErrorBody } from "../../models/contracts/index.ts";
import { errorFields, type Logger } from "../log.ts";

export function answerError(error: Error, c: Context, log: Logger): Response {
  if (error instanceof ApiError) {
    if (error.retryAfterSeconds !== undefined) {
      c.header("Retry-After", String(error.retryAfterSeconds));
    }
    return c.json(apiErrorBody(error.code, error.message), error.status);
  }
  if (error instanceof HTTPException && error.status < 500) {
    return c.json(apiErrorBody("bad_request", error.message || "request refused"), error.status);
  }
  log.error(
    { req_id: c.get("requestId"), method: c.req.method, path: c.req.path, ...errorFields(error) },
    "unhandled error",
  );
  return c.json(apiErrorBody("internal_error", "internal error"), 500);
}

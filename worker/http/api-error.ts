import type { Context } from "hono";
import { type ApiErrorCode, type ApiErrorStatus, apiErrorBody } from "../../models/contracts/index.ts";

/**
 * An error answer in the shape both services share (models/contracts/api-error.ts): a code from
 * API_ERROR_CODES for programs, a message for people. Handlers that find a refusal deep in a helper
 * throw an ApiError instead; the app's onError answers it the same way.
 */
export function apiError(c: Context, status: ApiErrorStatus, code: ApiErrorCode, message: string): Response {
  return c.json(apiErrorBody(code, message), status);
}

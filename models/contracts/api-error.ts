/**
 * The one error shape both services answer with, `{ "error": { "code", "message" } }`, and every code
 * either may put in it. A code names one failure wherever it happens (a body over the limit is
 * `body_too_large` at the edge and at the origin), so a client handles it once. Handlers throw an
 * ApiError; each app's one onError turns it into the body.
 */
import { z } from "zod";

export const API_ERROR_CODES = [
  // Any route, either service.
  "not_found",
  "bad_request",
  "missing_api_key",
  "invalid_api_key",
  "internal_error",
  // Reading a request body.
  "body_too_large",
  "body_timeout",
  "bad_body",
  "unsupported_encoding",
  "unsupported_media_type",
  "bad_encoding",
  "malformed_json",
  "malformed_batch",
  "invalid_body",
  // Batches (edge POST /events, origin POST /v1/*/batch).
  "empty_batch",
  "invalid_batch",
  "too_many_events",
  "too_many_records",
  "store_unavailable",
  "queue_unavailable",
  "events_not_configured",
  "rewards_not_configured",
  // Query and path parameters.
  "invalid_query",
  "invalid_item_id",
  "invalid_experiment_id",
  "invalid_confidence",
  "unknown_experiment",
  "unknown_surface",
  "invalid_actions",
  // Models, features and stored data at the edge.
  "model_not_found",
  "model_not_dense",
  "model_unavailable",
  "model_bytes_missing",
  "model_checksum_mismatch",
  "invalid_vector",
  "invalid_features",
  "features_not_supported",
  "features_not_found",
  "feature_length_mismatch",
  "user_not_found",
  "item_not_found",
  "stored_vector_invalid",
  "output_not_finite",
  "invalid_configuration",
  // The origin's admin API.
  "rollback_refused",
] as const;
export type ApiErrorCode = (typeof API_ERROR_CODES)[number];

/** 4xx and 5xx statuses the services answer errors with. */
export type ApiErrorStatus = 400 | 401 | 403 | 404 | 408 | 413 | 415 | 422 | 500 | 503;

export const ApiErrorBody = z.object({
  error: z.object({ code: z.enum(API_ERROR_CODES), message: z.string() }),
});
export type ApiErrorBody = z.infer<typeof ApiErrorBody>;

export const apiErrorBody = (code: ApiErrorCode, message: string): ApiErrorBody => ({
  error: { code, message },
});

/** A refusal with its status and code: thrown where it is found, answered by the app's onError. */
export class ApiError extends Error {
  readonly status: ApiErrorStatus;
  readonly code: ApiErrorCode;
  /** Sent as Retry-After: the same request can succeed after this many seconds. */
  readonly retryAfterSeconds: number | undefined;

  constructor(
    status: ApiErrorStatus,
    code: ApiErrorCode,
    message: string,
    options: { retryAfterSeconds?: number } = {},
  ) {
    super(message);
    this.name = "ApiError";
    this.status = status;
    this.code = code;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

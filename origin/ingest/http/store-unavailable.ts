import { ApiError } from "../../../models/contracts/index.ts";

/**
 * The 503 for a batch the store could not be reached for: the same batch may succeed later, and every
 * write is idempotent, so sending it again stores nothing twice.
 */
export function storeUnavailable(error: unknown): ApiError {
  const message = error instanceof Error ? error.message : String(error);
  return new ApiError(
    503,
    "store_unavailable",
    `the batch was not stored (${message}); send it again: batches are idempotent`,
    { retryAfterSeconds: 1 },
  );
}

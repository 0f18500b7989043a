import { type HttpProblem, problem } from "./http-problem.ts";

/**
 * The 503 for a batch the store could not be reached for: the same batch may succeed later, and every
 * write is idempotent, so sending it again stores nothing twice.
 */
export function unreachableProblem(error: unknown): HttpProblem {
  const message = error instanceof Error ? error.message : String(error);
  return problem(
    503,
    "store_unavailable",
    `the batch was not stored (${message}); send it again: batches are idempotent`,
  );
}

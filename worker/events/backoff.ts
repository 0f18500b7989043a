import { QUEUE_LIMITS } from "./limits.ts";

/** The longest the edge waits before trying an event again: an hour, well under the queue's 24 hours. */
export const MAX_RETRY_DELAY_SECONDS = 3_600;

/**
 * Seconds to wait before delivery attempt `attempt + 1`: doubling from `baseSeconds` after the first
 * attempt, never sooner than the origin's Retry-After, capped at an hour. Whole seconds, as the
 * queue's delaySeconds requires.
 */
export function retryDelaySeconds(attempt: number, baseSeconds: number, retryAfterSeconds = 0): number {
  const backoff = baseSeconds * 2 ** Math.max(0, attempt - 1);
  const cap = Math.min(MAX_RETRY_DELAY_SECONDS, QUEUE_LIMITS.maxDelaySeconds);
  return Math.min(cap, Math.ceil(Math.max(backoff, retryAfterSeconds)));
}

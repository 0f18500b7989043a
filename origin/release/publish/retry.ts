/**
 * Bounded retries with exponential backoff and full jitter: the Cloudflare API answers 429 when a
 * token's rate limit is hit and 5xx when it has a bad moment, and both pass if we wait. Jitter keeps
 * several publishers from retrying in step.
 */

export interface RetryPolicy {
  /** Attempts in all, the first included. */
  maxAttempts: number;
  /** The backoff ceiling before the first retry; it doubles with each retry. */
  initialBackoffMs: number;
  maxBackoffMs: number;
  /** Waits between attempts; tests pass one that records the delays instead of sleeping. */
  sleep: (ms: number) => Promise<void>;
  /** Uniform in [0, 1): the jitter's source. */
  random: () => number;
}

export const defaultRetryPolicy: RetryPolicy = {
  maxAttempts: 6,
  initialBackoffMs: 500,
  maxBackoffMs: 30_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
  random: Math.random,
};

/** A failure worth retrying; `retryAfterMs` is the server's own wait (Retry-After), when it gave one. */
export class RetryableError extends Error {
  readonly status: number | undefined;
  readonly retryAfterMs: number | undefined;

  constructor(message: string, options: { status?: number; retryAfterMs?: number } = {}) {
    super(message);
    this.name = "RetryableError";
    this.status = options.status;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/**
 * Runs `attempt` until it returns, throws a non-retryable error (rethrown at once), or has thrown
 * RetryableError `maxAttempts` times (the last one is rethrown; the caller adds context).
 */
export async function withRetries<T>(
  policy: RetryPolicy,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  for (let attemptNumber = 1; ; attemptNumber++) {
    try {
      return await attempt(attemptNumber);
    } catch (error) {
      if (!(error instanceof RetryableError) || attemptNumber >= policy.maxAttempts) {
        throw error;
      }
      await policy.sleep(error.retryAfterMs ?? backoffMs(policy, attemptNumber));
    }
  }
}

/** Full jitter: uniform in [0, min(max, initial · 2^(n-1))). */
export function backoffMs(policy: RetryPolicy, attemptNumber: number): number {
  const ceiling = Math.min(policy.maxBackoffMs, policy.initialBackoffMs * 2 ** (attemptNumber - 1));
  return Math.floor(policy.random() * ceiling);
}

/** Retry-After as seconds or an HTTP date, in milliseconds from now; undefined when absent or unreadable. */
export function parseRetryAfterMs(header: string | null, nowMs = Date.now()): number | undefined {
  if (header === null || header.trim() === "") {
    return undefined;
  }
  const seconds = Number(header);
  if (Number.isFinite(seconds)) {
    return Math.max(0, seconds * 1000);
  }
  const dateMs = Date.parse(header);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}

/**
 * When to try a request again, and how long to wait first: exponential backoff with full jitter
 * (a random wait in [0, base · 2^attempt], capped), or the server's Retry-After when it sends one.
 * Only 429, 5xx and network failures are retried; any other 4xx is the caller's mistake and would
 * fail the same way again.
 */
export interface RetryOptions {
  /** Attempts after the first. Default 3. */
  retries?: number;
  /** Backoff base. Default 200 ms. */
  baseDelayMs?: number;
  /** Longest wait between attempts, Retry-After included. Default 10 s. */
  maxDelayMs?: number;
  /** [0, 1): the jitter's randomness; Math.random by default. */
  random?: () => number;
  /** Told before each wait, for logs and metrics. */
  onRetry?: (retry: RetryNotice) => void;
}

export interface RetryNotice {
  url: string;
  /** 1 for the first retry. */
  attempt: number;
  delayMs: number;
  /** The status that caused it, or null after a network error. */
  status: number | null;
  /** The server's Retry-After header, when it sent one. */
  retryAfter: string | null;
}

export interface ResolvedRetry {
  retries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  random: () => number;
  onRetry: (retry: RetryNotice) => void;
}

export function resolveRetry(options: RetryOptions = {}): ResolvedRetry {
  return {
    retries: options.retries ?? 3,
    baseDelayMs: options.baseDelayMs ?? 200,
    maxDelayMs: options.maxDelayMs ?? 10_000,
    random: options.random ?? Math.random,
    onRetry: options.onRetry ?? (() => {}),
  };
}

export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500;
}

/**
 * Milliseconds to wait before retry number `attempt` (0 for the first retry). A Retry-After of
 * seconds or an HTTP date wins over the backoff, within maxDelayMs.
 */
export function retryDelayMs(
  attempt: number,
  retry: ResolvedRetry,
  retryAfter: string | null,
  nowMs = Date.now(),
): number {
  const fromServer = retryAfterMs(retryAfter, nowMs);
  if (fromServer !== null) {
    return Math.min(fromServer, retry.maxDelayMs);
  }
  const ceiling = Math.min(retry.maxDelayMs, retry.baseDelayMs * 2 ** attempt);
  return Math.floor(retry.random() * ceiling);
}

/** Retry-After as milliseconds from now, or null when absent or unreadable. */
export function retryAfterMs(header: string | null, nowMs = Date.now()): number | null {
  if (header === null || header.trim() === "") {
    return null;
  }
  const text = header.trim();
  if (/^\d+$/.test(text)) {
    return Number(text) * 1000;
  }
  const date = Date.parse(text);
  return Number.isNaN(date) ? null : Math.max(0, date - nowMs);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

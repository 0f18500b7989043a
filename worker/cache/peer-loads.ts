/**
 * One load per key per isolate without sharing a promise between requests. workerd binds every I/O
 * object (a KV read, a stream, a timer) to the request that created it: a request awaiting a load
 * another request started can fail with "Cannot perform I/O on behalf of a different request", or
 * hang when that request ends first. So only settled values are shared. The first request to miss
 * marks the key as loading and loads with its own I/O; a concurrent miss polls for the settled value
 * on its own timer and, if the loader's request died (its marker outlives `maxWaitMs`), loads itself.
 */
export class PeerLoads {
  readonly #startedAtMs = new Map<string, number>();
  readonly #maxWaitMs: number;

  constructor(maxWaitMs = 2_000) {
    this.#maxWaitMs = maxWaitMs;
  }

  /** Whether another request is loading `key` right now (a marker too old to trust counts as none). */
  loading(key: string, nowMs = Date.now()): boolean {
    const started = this.#startedAtMs.get(key);
    return started !== undefined && nowMs - started < this.#maxWaitMs;
  }

  /** Runs this request's own `load` for `key`, marked as loading while it runs. */
  async run<T>(key: string, load: () => Promise<T>): Promise<T> {
    const startedAtMs = Date.now();
    this.#startedAtMs.set(key, startedAtMs);
    try {
      return await load();
    } finally {
      if (this.#startedAtMs.get(key) === startedAtMs) {
        this.#startedAtMs.delete(key);
      }
    }
  }

  /**
   * Waits (polling on this request's own timer) while another request loads `key`, then returns what
   * `settled` finds: the peer's value, or undefined when there is none and this request should load.
   */
  async waitFor<T>(key: string, settled: () => T | undefined): Promise<T | undefined> {
    const deadline = Date.now() + this.#maxWaitMs;
    let value = settled();
    while (value === undefined && this.loading(key) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 1));
      value = settled();
    }
    return value;
  }
}

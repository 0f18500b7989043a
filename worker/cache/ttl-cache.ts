/**
 * A bounded, TTL'd least-recently-used cache for one isolate. Map keeps insertion order, so the
 * first key is the least recently used once every hit re-inserts its key.
 */
export class TtlCache<V> {
  readonly #entries = new Map<string, { value: V; expiresAtMs: number }>();
  readonly #maxEntries: number;

  constructor(maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) {
      throw new RangeError(`maxEntries must be a positive integer; got ${maxEntries}`);
    }
    this.#maxEntries = maxEntries;
  }

  get size(): number {
    return this.#entries.size;
  }

  /** The cached value, or undefined when absent or expired. */
  get(key: string, nowMs: number): V | undefined {
    const entry = this.#entries.get(key);
    if (!entry) {
      return undefined;
    }
    this.#entries.delete(key);
    if (entry.expiresAtMs <= nowMs) {
      return undefined;
    }
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, expiresAtMs: number): void {
    this.#entries.delete(key);
    this.#entries.set(key, { value, expiresAtMs });
    if (this.#entries.size > this.#maxEntries) {
      const oldest = this.#entries.keys().next().value;
      if (oldest !== undefined) {
        this.#entries.delete(oldest);
      }
    }
  }

  /** The entry even when expired (without touching its recency): what the key held last, and until when. */
  peek(key: string): { value: V; expiresAtMs: number } | undefined {
    return this.#entries.get(key);
  }
}

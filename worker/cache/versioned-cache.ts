import { PeerLoads } from "./peer-loads.ts";

type Settled<T> = { value: T } | { error: Error };

/**
 * Loaded values per published version, per isolate: the first request of a new version loads it with
 * its own I/O, concurrent requests wait for that value (never for its promise: see peer-loads.ts), later
 * ones get it at once. The last `keep` versions stay, so a request pinned to the previous release while
 * the next one loads still finds its own. A failed load is remembered for a short time, so a corrupt
 * upload costs one read per retry period instead of one per request.
 */
export class VersionedCache<T> {
  /** Most recently loaded last. */
  readonly #values = new Map<string, T>();
  readonly #failures = new Map<string, { error: Error; retryAtMs: number }>();
  readonly #peers: PeerLoads;
  readonly #retryAfterFailureMs: number;
  readonly #keep: number;

  constructor(options: { retryAfterFailureMs?: number; keep?: number; peerWaitMs?: number } = {}) {
    this.#peers = new PeerLoads(options.peerWaitMs);
    this.#retryAfterFailureMs = options.retryAfterFailureMs ?? 30_000;
    this.#keep = options.keep ?? 2;
  }

  async get(version: string, load: () => Promise<T>): Promise<T> {
    // Checked and marked without an await in between, so two requests never both start the load.
    let settled = this.#settled(version);
    if (settled === undefined && this.#peers.loading(version)) {
      settled = await this.#peers.waitFor(version, () => this.#settled(version));
    }
    if (settled) {
      if ("error" in settled) {
        throw settled.error;
      }
      return settled.value;
    }
    try {
      const value = await this.#peers.run(version, load);
      // A peer whose marker had expired may have finished first: keep one value per version.
      const existing = this.#values.get(version);
      if (existing !== undefined) {
        return existing;
      }
      this.#failures.delete(version);
      this.#values.set(version, value);
      for (const old of this.#values.keys()) {
        if (this.#values.size <= this.#keep) {
          break;
        }
        this.#values.delete(old);
      }
      return value;
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error));
      this.#failures.set(version, { error: reason, retryAtMs: Date.now() + this.#retryAfterFailureMs });
      throw reason;
    }
  }

  /** The version loaded last, if any. */
  get loadedVersion(): string | null {
    let last: string | null = null;
    for (const version of this.#values.keys()) {
      last = version;
    }
    return last;
  }

  /** Versions held, oldest first; tests and /health read it. */
  get versions(): string[] {
    return [...this.#values.keys()];
  }

  /** Values held, oldest first. */
  get values(): T[] {
    return [...this.#values.values()];
  }

  #settled(version: string): Settled<T> | undefined {
    const value = this.#values.get(version);
    if (value !== undefined) {
      return { value };
    }
    const failure = this.#failures.get(version);
    if (failure && Date.now() < failure.retryAtMs) {
      return { error: failure.error };
    }
    return undefined;
  }
}

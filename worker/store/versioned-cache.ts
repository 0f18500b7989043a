/**
 * One loaded value per published version, per isolate: the first request of a new version loads it,
 * concurrent requests share that load, later ones get the result. A failed load is remembered for a short
 * time, so a corrupt upload costs one read per retry period instead of one per request.
 */
export class VersionedCache<T> {
  #loaded: { version: string; pending: Promise<T> } | null = null;
  #failure: { version: string; error: Error; retryAtMs: number } | null = null;
  readonly #retryAfterFailureMs: number;

  constructor(retryAfterFailureMs = 30_000) {
    this.#retryAfterFailureMs = retryAfterFailureMs;
  }

  async get(version: string, load: () => Promise<T>): Promise<T> {
    if (this.#loaded?.version === version) {
      return this.#loaded.pending;
    }
    const failure = this.#failure;
    if (failure?.version === version && Date.now() < failure.retryAtMs) {
      throw failure.error;
    }
    const pending = load();
    this.#loaded = { version, pending };
    try {
      return await pending;
    } catch (error) {
      const reason = error instanceof Error ? error : new Error(String(error));
      if (this.#loaded?.pending === pending) {
        this.#loaded = null;
      }
      this.#failure = { version, error: reason, retryAtMs: Date.now() + this.#retryAfterFailureMs };
      throw reason;
    }
  }

  /** The version this isolate holds (or is loading), if any. */
  get loadedVersion(): string | null {
    return this.#loaded?.version ?? null;
  }
}

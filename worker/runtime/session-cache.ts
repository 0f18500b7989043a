import type { InferenceSession } from "onnxruntime-web/wasm";

/**
 * Per-isolate cache of ORT sessions keyed by model name and version. Session creation costs
 * milliseconds (and the first one initializes ORT's WASM), so it happens once per version per
 * isolate, never on import. Concurrent requests for the same version share one creation. Once a
 * new version serves, the old one is released as soon as no run still uses it.
 */
export class SessionCache {
  readonly #sessions = new Map<string, Promise<InferenceSession>>();
  /** Runs under way per key; a superseded session is released only when its count reaches 0. */
  readonly #inUse = new Map<string, number>();
  /** Superseded sessions waiting for their last run to finish. */
  readonly #retiring = new Map<string, Promise<InferenceSession>>();
  /** Versions that failed to load, with when to try again: a corrupt model costs one KV read per period. */
  readonly #failures = new Map<string, { error: unknown; retryAtMs: number }>();
  #created = 0;
  #attempts = 0;
  static readonly retryAfterFailureMs = 30_000;

  /** How many sessions this isolate has created; tests assert on it instead of on time. */
  get created(): number {
    return this.#created;
  }

  /** Session creations started, successful or not. */
  get attempts(): number {
    return this.#attempts;
  }

  get size(): number {
    return this.#sessions.size;
  }

  has(name: string, version: string): boolean {
    return this.#sessions.has(cacheKey(name, version));
  }

  /**
   * Runs `work` with the session for name@version, creating it the first time. The run is counted
   * from this call on, so a newer version finishing its creation meanwhile cannot release this one
   * under it.
   */
  async use<T>(
    name: string,
    version: string,
    create: () => Promise<InferenceSession>,
    work: (session: InferenceSession) => Promise<T>,
  ): Promise<T> {
    const key = cacheKey(name, version);
    this.#inUse.set(key, (this.#inUse.get(key) ?? 0) + 1);
    try {
      return await work(await this.#get(key, name, version, create));
    } finally {
      const left = (this.#inUse.get(key) ?? 1) - 1;
      if (left > 0) {
        this.#inUse.set(key, left);
      } else {
        this.#inUse.delete(key);
        const retiring = this.#retiring.get(key);
        if (retiring) {
          this.#retiring.delete(key);
          release(retiring);
        }
      }
    }
  }

  async #get(
    key: string,
    name: string,
    version: string,
    create: () => Promise<InferenceSession>,
  ): Promise<InferenceSession> {
    const cached = this.#sessions.get(key);
    if (cached) {
      return cached;
    }
    const failure = this.#failures.get(key);
    if (failure && Date.now() < failure.retryAtMs) {
      throw failure.error;
    }
    this.#failures.delete(key);
    this.#attempts += 1;
    const pending = create();
    this.#sessions.set(key, pending);
    try {
      const session = await pending;
      this.#created += 1;
      this.#releaseOtherVersions(name, version);
      return session;
    } catch (error) {
      // Not cached as a session, so a fixed model under the same version is tried again later.
      this.#sessions.delete(key);
      this.#failures.set(key, { error, retryAtMs: Date.now() + SessionCache.retryAfterFailureMs });
      throw error;
    }
  }

  /** Once a new version serves, older sessions of the same model only hold memory. */
  #releaseOtherVersions(name: string, keepVersion: string): void {
    for (const [key, pending] of this.#sessions) {
      const [keyName, keyVersion] = splitKey(key);
      if (keyName === name && keyVersion !== keepVersion) {
        this.#sessions.delete(key);
        if (this.#inUse.has(key)) {
          this.#retiring.set(key, pending);
        } else {
          release(pending);
        }
      }
    }
  }
}

function release(pending: Promise<InferenceSession>): void {
  void pending.then((session) => session.release()).catch(() => undefined);
}

function cacheKey(name: string, version: string): string {
  return `${name}@${version}`;
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf("@");
  return [key.slice(0, at), key.slice(at + 1)];
}

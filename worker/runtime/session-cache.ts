import type { InferenceSession } from "onnxruntime-web/wasm";
import { PeerLoads } from "../cache/peer-loads.ts";

type Settled = { session: InferenceSession } | { error: unknown };

/**
 * Per-isolate cache of ORT sessions keyed by model name and version. Session creation costs
 * milliseconds (and the first one initializes ORT's WASM), so it happens once per version per
 * isolate, never on import. Only created sessions are shared: the request that creates one reads the
 * model's bytes with its own I/O, and concurrent requests wait for the settled session rather than for
 * that request's promise (workerd forbids awaiting another request's I/O; see cache/peer-loads.ts).
 * Once a new version serves, the old one is released as soon as no run still uses it.
 */
export class SessionCache {
  readonly #sessions = new Map<string, InferenceSession>();
  /** Runs under way per key; a superseded session is released only when its count reaches 0. */
  readonly #inUse = new Map<string, number>();
  /** Superseded sessions waiting for their last run to finish. */
  readonly #retiring = new Map<string, InferenceSession>();
  /** Versions that failed to load, with when to try again: a corrupt model costs one KV read per period. */
  readonly #failures = new Map<string, { error: unknown; retryAtMs: number }>();
  readonly #peers = new PeerLoads();
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
    // Checked and marked without an await in between, so two requests never both start the load.
    let settled = this.#settled(key);
    if (settled === undefined && this.#peers.loading(key)) {
      settled = await this.#peers.waitFor(key, () => this.#settled(key));
    }
    if (settled) {
      if ("error" in settled) {
        throw settled.error;
      }
      return settled.session;
    }
    this.#failures.delete(key);
    this.#attempts += 1;
    let session: InferenceSession;
    try {
      session = await this.#peers.run(key, create);
    } catch (error) {
      // Not cached as a session, so a fixed model under the same version is tried again later.
      this.#failures.set(key, { error, retryAtMs: Date.now() + SessionCache.retryAfterFailureMs });
      throw error;
    }
    const existing = this.#sessions.get(key);
    if (existing) {
      // A peer whose marker had expired finished first: one session per version, so free this one.
      release(session);
      return existing;
    }
    this.#created += 1;
    this.#sessions.set(key, session);
    this.#releaseOtherVersions(name, version);
    return session;
  }

  #settled(key: string): Settled | undefined {
    const session = this.#sessions.get(key);
    if (session) {
      return { session };
    }
    const failure = this.#failures.get(key);
    if (failure && Date.now() < failure.retryAtMs) {
      return { error: failure.error };
    }
    return undefined;
  }

  /** Once a new version serves, older sessions of the same model only hold memory. */
  #releaseOtherVersions(name: string, keepVersion: string): void {
    for (const [key, session] of this.#sessions) {
      const [keyName, keyVersion] = splitKey(key);
      if (keyName === name && keyVersion !== keepVersion) {
        this.#sessions.delete(key);
        if (this.#inUse.has(key)) {
          this.#retiring.set(key, session);
        } else {
          release(session);
        }
      }
    }
  }
}

function release(session: InferenceSession): void {
  void session.release().catch(() => undefined);
}

function cacheKey(name: string, version: string): string {
  return `${name}@${version}`;
}

function splitKey(key: string): [string, string] {
  const at = key.lastIndexOf("@");
  return [key.slice(0, at), key.slice(at + 1)];
}

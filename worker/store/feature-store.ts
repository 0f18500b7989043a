import type { UserFeatures } from "../../models/contracts/index.ts";
import { TtlCache } from "./ttl-cache.ts";
import { readUserFeatures } from "./user-features.ts";

export interface FeatureStoreOptions {
  /** How long an isolate trusts a user's record (or its absence) before reading KV again. */
  ttlSeconds: number;
  /** Users kept per isolate; a record is about 1 KB, so 10,000 stay well inside 128 MB. */
  maxUsers: number;
}

/**
 * User features with a per-isolate cache in front of KV, so a returning user costs no KV read and
 * a new one costs exactly one. Unknown users are cached too (as null): a burst of requests for an
 * unknown id must not become a burst of KV reads.
 */
export class FeatureStore {
  readonly #cache: TtlCache<UserFeatures | null>;
  readonly #ttlMs: number;
  #kvReads = 0;

  constructor(options: FeatureStoreOptions) {
    this.#cache = new TtlCache(options.maxUsers);
    this.#ttlMs = options.ttlSeconds * 1000;
  }

  /** KV reads this isolate made for features; tests assert on it. */
  get kvReads(): number {
    return this.#kvReads;
  }

  async user(kv: KVNamespace, userId: string): Promise<UserFeatures | null> {
    const now = Date.now();
    const cached = this.#cache.get(userId, now);
    if (cached !== undefined) {
      return cached;
    }
    this.#kvReads += 1;
    const features = await readUserFeatures(kv, userId);
    if (this.#ttlMs > 0) {
      this.#cache.set(userId, features, now + this.#ttlMs);
    }
    return features;
  }
}

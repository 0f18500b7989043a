import type { UserFeatures } from "../../models/contracts/index.ts";
import { TtlCache } from "../cache/ttl-cache.ts";
import { type FeatureRelease, ofRelease } from "./feature-release.ts";
import { readUserFeatures } from "./user-features.ts";

export interface FeatureStoreOptions {
  /** How long an isolate trusts a user's record (or its absence) before reading KV again. */
  ttlSeconds: number;
  /** Records kept per isolate; a record is about 1 KB, so 10,000 stay well inside 128 MB. */
  maxUsers: number;
  /**
   * How long a record that belongs to another release than the request's is trusted: KV is mid-switch
   * (the publisher writes users before the manifest, a rollback after it), so it is read again soon.
   */
  mismatchTtlSeconds?: number;
}

/**
 * User features with a per-isolate cache in front of KV, keyed by release and user, so a returning user
 * costs no KV read, a new one exactly one, and the first request of a new release reads the record that
 * release's publish wrote instead of the previous release's cached copy. Unknown users are cached too (as
 * null): a burst of requests for an unknown id must not become a burst of KV reads.
 */
export class FeatureStore {
  readonly #cache: TtlCache<UserFeatures | null>;
  readonly #ttlMs: number;
  readonly #mismatchTtlMs: number;
  #kvReads = 0;

  constructor(options: FeatureStoreOptions) {
    this.#cache = new TtlCache(options.maxUsers);
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#mismatchTtlMs = Math.min(this.#ttlMs, (options.mismatchTtlSeconds ?? 1) * 1000);
  }

  /** KV reads this isolate made for features; tests assert on it. */
  get kvReads(): number {
    return this.#kvReads;
  }

  async user(kv: KVNamespace, userId: string, release?: FeatureRelease): Promise<UserFeatures | null> {
    const key = `${release?.manifestVersion ?? "-"}/${userId}`;
    const now = Date.now();
    const expired = this.#cache.peek(key);
    const cached = this.#cache.get(key, now);
    if (cached !== undefined) {
      return cached;
    }
    this.#kvReads += 1;
    const features = await readUserFeatures(kv, userId);
    if (release && !ofRelease(features, release)) {
      // KV is mid-switch (the next release's users are written before its manifest): the record this
      // release read before is still the release's own, so it serves on rather than a degraded answer.
      if (expired && ofRelease(expired.value, release)) {
        this.#cache.set(key, expired.value, now + this.#mismatchTtlMs);
        return expired.value;
      }
      if (this.#mismatchTtlMs > 0) {
        this.#cache.set(key, features, now + this.#mismatchTtlMs);
      }
      return features;
    }
    if (this.#ttlMs > 0) {
      this.#cache.set(key, features, now + this.#ttlMs);
    }
    return features;
  }
}

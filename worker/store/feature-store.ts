import { FEATURE_CACHE_SHARDS, type UserFeatures } from "../../models/contracts/index.ts";
import type { ParsedUserShard } from "../../models/user-shards/index.ts";
import { TtlCache } from "../cache/ttl-cache.ts";
import { type FeatureRelease, ofRelease } from "./feature-release.ts";
import { readUserShard, userInShard, userShardKey } from "./user-features.ts";

export interface FeatureStoreOptions {
  /** How long an isolate trusts a user's record, a shard (or their absence) before reading KV again. */
  ttlSeconds: number;
  /** Records kept per isolate; a record is about 1 KB, so 10,000 stay well inside 128 MB. */
  maxUsers: number;
  /** Shards kept per isolate, each at most 32 KiB in KV: FEATURE_CACHE_SHARDS (64) by default. */
  maxShards?: number;
  /**
   * How long a record that belongs to another release than the request's is trusted: KV is mid-switch
   * (the publisher writes users before the manifest, a rollback after it), so it is read again soon.
   */
  mismatchTtlSeconds?: number;
}

/**
 * User features with per-isolate caches in front of KV, keyed by release: the users' records, and the
 * shards they come from (models/user-shards/), so a returning user costs no KV read, a user whose shard
 * another request read lately costs none either, and any other exactly one read of at most 32 KiB. The
 * first request of a new release reads the shards that release's publish wrote instead of the previous
 * release's cached copies. Unknown users are cached too (as null): a burst of requests for an unknown id
 * must not become a burst of KV reads.
 */
export class FeatureStore {
  readonly #users: TtlCache<UserFeatures | null>;
  readonly #shards: TtlCache<ParsedUserShard | null>;
  readonly #ttlMs: number;
  readonly #mismatchTtlMs: number;
  #kvReads = 0;

  constructor(options: FeatureStoreOptions) {
    this.#users = new TtlCache(options.maxUsers);
    this.#shards = new TtlCache(options.maxShards ?? FEATURE_CACHE_SHARDS);
    this.#ttlMs = options.ttlSeconds * 1000;
    this.#mismatchTtlMs = Math.min(this.#ttlMs, (options.mismatchTtlSeconds ?? 1) * 1000);
  }

  /** KV reads this isolate made for features; tests assert on it. */
  get kvReads(): number {
    return this.#kvReads;
  }

  /** The user's features in the release's shards; null without a release, shards or a record. */
  async user(kv: KVNamespace, userId: string, release?: FeatureRelease): Promise<UserFeatures | null> {
    const layout = release?.users;
    if (!release || !layout) {
      return null;
    }
    const key = `${release.manifestVersion}/${userId}`;
    const now = Date.now();
    const expired = this.#users.peek(key);
    const cached = this.#users.get(key, now);
    if (cached !== undefined) {
      return cached;
    }
    const kvKey = userShardKey(layout, userId);
    const shardKey = `${release.manifestVersion}/${kvKey}`;
    const shard = await this.#shard(kv, shardKey, kvKey, now);
    // A user stored apart is read on its own, uncached: the user's record is cached below.
    const features = await userInShard(shard, userId, (key) => {
      this.#kvReads += 1;
      return readUserShard(kv, key);
    });
    if (!ofRelease(features, release)) {
      // KV is mid-switch (the next release's shards are written before its manifest): the shard is read
      // again soon, and the record this release read before is still the release's own, so it serves on
      // rather than a degraded answer.
      this.#shards.set(shardKey, shard, now + this.#mismatchTtlMs);
      if (expired && ofRelease(expired.value, release)) {
        this.#users.set(key, expired.value, now + this.#mismatchTtlMs);
        return expired.value;
      }
      this.#users.set(key, features, now + this.#mismatchTtlMs);
      return features;
    }
    this.#users.set(key, features, now + this.#ttlMs);
    return features;
  }

  async #shard(kv: KVNamespace, cacheKey: string, kvKey: string, now: number) {
    const cached = this.#shards.get(cacheKey, now);
    if (cached !== undefined) {
      return cached;
    }
    this.#kvReads += 1;
    const shard = await readUserShard(kv, kvKey);
    this.#shards.set(cacheKey, shard, now + this.#ttlMs);
    return shard;
  }
}

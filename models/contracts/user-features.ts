/**
 * A user's features as the edge reads them. They are stored in shards of many users
 * (models/user-shards/), one KV value each, so the common request costs one KV read per shard and a
 * publish one write per shard. Fields added after the first release are optional, so records written
 * before them still parse.
 */
import { z } from "zod";
import { CATALOG_LIMITS } from "../catalog/catalog-format.ts";
import { EVENT_LIMITS } from "./event.ts";

/** Each seen index takes at most 5 varint bytes; base64 writes 4 characters per 3 bytes. */
const base64Chars = (indices: number) => Math.ceil((indices * 5) / 3) * 4;

export const USER_FEATURE_LIMITS = {
  /** The ids the edge falls back on when the seen set is of another catalogue (see `seen`). */
  recentItems: 500,
  /**
   * Seen items one record holds: far past any person's history in a training window, and it keeps a
   * record within tens of KiB to a few hundred (a user past it keeps the most recent this many).
   */
  seenItems: 100_000,
  embeddingDim: 4096,
  segmentChars: 64,
} as const;

export const UserFeatures = z.object({
  userId: z.string().min(1),
  updatedAt: z.string(),
  /** Named dense vectors, e.g. `behaviour` for the behaviour model. */
  vectors: z.record(z.string(), z.array(z.number())),
  /** The version of the model each vector was produced for, so the edge can tell a stale one. */
  producedFor: z.record(z.string(), z.string()).default({}),
  /**
   * Ids of the items the user interacted with most recently, most recent first. The decision engine leaves
   * them out when `seen` cannot be used (it belongs to another catalogue, or the record predates it).
   */
  recentItems: z
    .array(z.string().min(1).max(EVENT_LIMITS.idChars))
    .max(USER_FEATURE_LIMITS.recentItems)
    .optional(),
  /**
   * The user's factors from the recommendation model, as floats (the edge quantizes them for its int8
   * kernel). Comparable only with item embeddings of the same model version: factors of two trainings live
   * in different spaces, so a version mismatch means "no usable embedding", never a silently wrong score.
   */
  embedding: z
    .object({
      model: z.string().min(1),
      version: z.string().min(1),
      values: z.array(z.number()).min(1).max(USER_FEATURE_LIMITS.embeddingDim),
    })
    .optional(),
  /**
   * Every item the user interacted with in the training window, as indices into the catalogue of version
   * `catalog` (the catalogue's decoded order) in models/seen's encoding: `count` indices, delta-encoded
   * varints in base64. The edge excludes them only when it serves that very catalogue: indices mean
   * other items in another one, so it falls back on `recentItems` rather than exclude the wrong items.
   */
  seen: z
    .object({
      catalog: z.string().min(1).max(CATALOG_LIMITS.versionChars),
      count: z.int().min(0).max(USER_FEATURE_LIMITS.seenItems),
      indices: z.base64().max(base64Chars(USER_FEATURE_LIMITS.seenItems)),
    })
    .optional(),
  /** A segment label assigned at training time (e.g. a cluster or lifecycle stage). */
  segment: z.string().min(1).max(USER_FEATURE_LIMITS.segmentChars).optional(),
});
export type UserFeatures = z.infer<typeof UserFeatures>;

/** How a shard is found: fmix32(FNV-1a 32 of the id's UTF-8) modulo the count (models/user-shards/shard-of.ts). */
export const USER_SHARD_HASH = "fnv1a32-fmix32";
/** User shards an edge isolate keeps (worker/store/feature-store.ts), each at most 32 KiB in KV. */
export const FEATURE_CACHE_SHARDS = 64;

/** The shard's format: raw DEFLATE of its text (models/user-shards/shard-bytes.ts, shard-codec.ts). */
export const USER_SHARD_FORMAT = 1;

/** A release's users as the manifest names them: the shards are `users/<count>/<0…count-1>` in FEATURES. */
export const UserShardLayout = z.object({
  format: z.literal(USER_SHARD_FORMAT),
  hash: z.literal(USER_SHARD_HASH),
  count: z.number().int().positive(),
  /** Users in all shards, for /health and the publisher's report. */
  users: z.number().int().nonnegative(),
});
export type UserShardLayout = z.infer<typeof UserShardLayout>;

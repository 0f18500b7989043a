/**
 * Users' features as a training run writes them (factors, recent items, one model version and update
 * time for all), from a seed: what the user shard tests and the publish bench store.
 */
import type { UserFeatures } from "../../../models/contracts/index.ts";
import { mulberry32, randomNormalArray } from "../../../models/random.ts";

export interface SyntheticUserOptions {
  seed?: number;
  /** Embedding dimension. Default 64. */
  dim?: number;
  /** Recent items per user. Default 20. */
  recentItems?: number;
  /** Items to draw recent items from. Default 2,000. */
  items?: number;
  /** The embedding's model version, so two runs differ. Default "1". */
  version?: string;
}

export function syntheticUserFeatures(count: number, options: SyntheticUserOptions = {}): UserFeatures[] {
  const rng = mulberry32(options.seed ?? 1);
  const dim = options.dim ?? 64;
  const items = options.items ?? 2000;
  const updatedAt = new Date(0).toISOString();
  return Array.from({ length: count }, (_, i) => ({
    userId: `user-${i}`,
    updatedAt,
    vectors: {},
    producedFor: {},
    recentItems: Array.from({ length: options.recentItems ?? 20 }, () => `item-${Math.floor(rng() * items)}`),
    embedding: {
      model: "recs",
      version: options.version ?? "1",
      values: Array.from(randomNormalArray(rng, dim, 0.1)),
    },
  }));
}

/**
 * Seeded synthetic catalogues for the scale benchmarks: item vectors in clusters (as trained factors fall),
 * with norms that vary from item to item (as popular items' do), and users whose embeddings blend two
 * clusters plus their own noise. ../shared/data holds no catalogue of a million items, and what the edge's
 * work depends on is the sizes and this structure, not the values.
 */
import type { CatalogInput } from "../../models/catalog/index.ts";
import type { UserFeatures } from "../../models/contracts/index.ts";
import { mulberry32, randomNormalArray } from "../../models/random.ts";

export interface SyntheticOptions {
  items: number;
  dim: number;
  users: number;
  /** Recently seen items per user (excluded at the edge). */
  seenPerUser?: number;
  seed?: number;
}

export interface SyntheticRelease {
  input: CatalogInput;
  users: UserFeatures[];
  /** The users' embeddings, [users, dim]: what the origin calibrates the index's probe budget on. */
  userVectors: Float32Array;
}

export const SYNTHETIC_MODEL = { model: "bench-mf", version: "bench" } as const;

export function syntheticRelease(options: SyntheticOptions): SyntheticRelease {
  const { items, dim, users: userCount, seenPerUser = 20, seed = 7 } = options;
  const rng = mulberry32(seed);
  const clusters = Math.max(8, Math.round(Math.sqrt(items) / 4));
  const centroids = randomNormalArray(rng, clusters * dim);
  const scale = 1 / Math.sqrt(dim);
  const vectors = new Float32Array(items * dim);
  const noise = new Float32Array(dim);
  for (let i = 0; i < items; i++) {
    const c = Math.floor(rng() * clusters);
    const norm = 0.6 + 0.8 * rng();
    noise.set(randomNormalArray(rng, dim, 0.7));
    for (let d = 0; d < dim; d++) {
      vectors[i * dim + d] = norm * scale * (centroids[c * dim + d]! + noise[d]!);
    }
  }
  const itemIds = Array.from({ length: items }, (_, i) => `item-${i}`);
  const input: CatalogInput = {
    version: `bench-${items}`,
    createdAt: "2026-12-01T00:00:00.000Z",
    itemIds,
    popularity: Float32Array.from({ length: items }, () => Math.floor(1000 * rng() ** 4)),
    trending: Float32Array.from({ length: items }, () => rng()),
    categories: Array.from({ length: items }, (_, i) => [`category-${i % 20}`]),
    price: Float32Array.from({ length: items }, () => 5 + rng() * 95),
    sentiment: {
      mean: Float32Array.from({ length: items }, () => rng()),
      count: Uint32Array.from({ length: items }, () => 1 + Math.floor(rng() * 30)),
    },
    embedding: { ...SYNTHETIC_MODEL, dim, vectors },
  };
  const userVectors = new Float32Array(userCount * dim);
  const users = Array.from({ length: userCount }, (_, u): UserFeatures => {
    const a = Math.floor(rng() * clusters);
    const b = Math.floor(rng() * clusters);
    const w = rng();
    const own = randomNormalArray(rng, dim, 0.5);
    const values = Array.from(
      own,
      (e, d) => scale * (w * centroids[a * dim + d]! + (1 - w) * centroids[b * dim + d]! + e),
    );
    userVectors.set(values, u * dim);
    return {
      userId: `user-${u}`,
      updatedAt: "2026-12-01T00:00:00.000Z",
      vectors: {},
      producedFor: {},
      embedding: { ...SYNTHETIC_MODEL, values },
      recentItems: Array.from({ length: seenPerUser }, () => itemIds[Math.floor(rng() * items)]!),
    };
  });
  return { input, users, userVectors };
}

/**
 * Small generated catalogues with a known structure, for decision tests: items fall into `clusters` groups
 * whose embeddings lie close to a cluster centroid (item i is in cluster i % clusters, category `c<cluster>`),
 * so "a user near centroid 0" has a predictable top list and redundancy is measurable. Every value comes
 * from a seeded PRNG and goes through the real encoder and decoder.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type Catalog, type CatalogInput, encodeCatalog } from "../../../models/catalog/index.ts";
import {
  SurfaceConfig,
  type SurfaceConfigInput,
  type UserFeatures,
} from "../../../models/contracts/index.ts";
import { mulberry32, randomNormalArray } from "../../../models/random.ts";
import { type CatalogKernel, loadCatalogKernel } from "../../../wasm/catalog-kernel.ts";
import { nearestReference, rankedReference } from "../../../wasm/catalog-search-reference.ts";
import type { TopKResult } from "../../../wasm/int8-topk.ts";
import {
  type CandidateGenerator,
  type DecisionContext,
  kernelCandidates,
} from "../../../worker/decision/index.ts";

/** The kernel as built by the unit project's global setup (npm run build:wasm). */
export const kernelModule = new WebAssembly.Module(
  readFileSync(fileURLToPath(new URL("../../../wasm/build/int8-topk.wasm", import.meta.url))),
);

export const EMBEDDING = { model: "mf", version: "v1" } as const;

export interface FixtureOptions {
  items?: number;
  dim?: number;
  clusters?: number;
  seed?: number;
  /** Also publish content vectors (equal to the embeddings: enough to exercise the option). */
  content?: boolean;
  /** Leave the embedding table out, as before the first training. */
  noEmbedding?: boolean;
}

export interface Fixture {
  catalog: Catalog;
  /** The kernel holding the catalogue (what the edge runs); `catalog` is its view. */
  kernel: CatalogKernel;
  input: CatalogInput;
  /** Float embeddings before quantization, [items, dim]. */
  vectors: Float32Array;
  centroids: Float32Array[];
  clusterOf: (itemId: string) => number;
}

export function buildFixture(options: FixtureOptions = {}): Fixture {
  const { items = 200, dim = 16, clusters = 5, seed = 7 } = options;
  const rng = mulberry32(seed);
  const centroids = Array.from({ length: clusters }, () => randomNormalArray(rng, dim));
  const vectors = new Float32Array(items * dim);
  const noise = randomNormalArray(rng, items * dim, 0.25);
  for (let i = 0; i < items; i++) {
    for (let d = 0; d < dim; d++) {
      vectors[i * dim + d] = centroids[i % clusters]![d]! + noise[i * dim + d]!;
    }
  }
  const count = Uint32Array.from({ length: items }, () => (rng() < 0.3 ? 0 : Math.floor(rng() * 40)));
  const input: CatalogInput = {
    version: `catalog-${seed}`,
    createdAt: "2026-11-20T00:00:00.000Z",
    itemIds: Array.from({ length: items }, (_, i) => `item-${i}`),
    popularity: Float32Array.from({ length: items }, () => Math.floor(rng() * 1000)),
    trending: Float32Array.from({ length: items }, () => rng() * 50),
    categories: Array.from({ length: items }, (_, i) =>
      i % 3 === 0 ? [`c${i % clusters}`, "sale"] : [`c${i % clusters}`],
    ),
    // Every tenth item has no known price.
    price: Float32Array.from({ length: items }, (_, i) => (i % 10 === 0 ? Number.NaN : 5 + ((i * 37) % 100))),
    sentiment: { mean: Float32Array.from(count, (n) => (n === 0 ? Number.NaN : rng())), count },
    ...(options.noEmbedding ? {} : { embedding: { ...EMBEDDING, dim, vectors } }),
    ...(options.content ? { content: { model: "text", version: "t1", dim, vectors } } : {}),
  };
  const clusterOf = (itemId: string) => Number(itemId.slice("item-".length)) % clusters;
  const kernel = loadCatalogKernel(kernelModule, encodeCatalog(input));
  return { catalog: kernel.catalog, kernel, input, vectors, centroids, clusterOf };
}

export function surface(config: Partial<SurfaceConfigInput> = {}): SurfaceConfig {
  return SurfaceConfig.parse({ name: "test", ...config });
}

export function user(overrides: Partial<UserFeatures> = {}): UserFeatures {
  return { userId: "u1", updatedAt: "2026-11-20T00:00:00.000Z", vectors: {}, producedFor: {}, ...overrides };
}

/** A user whose embedding is a mix of centroids, e.g. { 0: 1, 1: 0.5 }. */
export function userNear(
  fixture: Fixture,
  mix: Record<number, number>,
  overrides: Partial<UserFeatures> = {},
) {
  const dim = fixture.centroids[0]!.length;
  const values = new Array<number>(dim).fill(0);
  for (const [cluster, weight] of Object.entries(mix)) {
    fixture.centroids[Number(cluster)]!.forEach((v, d) => {
      values[d]! += weight * v;
    });
  }
  return user({ embedding: { ...EMBEDDING, values }, ...overrides });
}

/** A context whose candidates come from the catalogue kernel, as at the edge. */
export function context(fixture: Fixture, overrides: Partial<DecisionContext> = {}): DecisionContext {
  return {
    catalog: fixture.catalog,
    user: null,
    surface: surface(),
    candidates: kernelCandidates(fixture.kernel),
    ...overrides,
  };
}

/** The kernel's candidates with `personal` replaced (a generator that fails, or ignores the rules). */
export function withPersonal(fixture: Fixture, personal: CandidateGenerator["personal"]): CandidateGenerator {
  return { ...kernelCandidates(fixture.kernel), personal };
}

/** Candidates from the TypeScript reference (exact scans), the oracle for the kernel. */
export function referenceCandidates(catalog: Catalog): CandidateGenerator {
  return {
    personal: (query, n, rules): TopKResult => nearestReference(catalog, catalog.embedding!, query, n, rules),
    ranked: (strategy, n, rules) => rankedReference(catalog, strategy, n, rules),
  };
}

/** Every item id in catalogue order. */
export const allIds = (catalog: Catalog) =>
  Array.from({ length: catalog.items }, (_, i) => catalog.itemId(i));

export const ids = (decision: { items: { item_id: string }[] }) => decision.items.map((item) => item.item_id);

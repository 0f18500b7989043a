import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { type CatalogInput, encodeCatalog } from "../../models/catalog/index.ts";
import { mulberry32, type Rng, randomNormalArray } from "../../models/random.ts";
import {
  type CatalogKernel,
  loadCatalogKernel,
  NO_RULES,
  type SearchRules,
} from "../../wasm/catalog-kernel.ts";
import { nearestReference, passesRules, rankedReference } from "../../wasm/catalog-search-reference.ts";

const wasmPath = fileURLToPath(new URL("../../wasm/build/int8-topk.wasm", import.meta.url));
let kernelModule: WebAssembly.Module;
beforeAll(() => {
  kernelModule = new WebAssembly.Module(readFileSync(wasmPath));
});

const CLUSTERS = 24;

/** Clustered vectors with item norms that vary, as trained factors do; 12 categories; some unknown prices. */
function clusteredInput(
  items: number,
  dim: number,
  seed: number,
  index: CatalogInput["index"],
): CatalogInput {
  const rng = mulberry32(seed);
  const clusters = CLUSTERS;
  const centroids = clusterCentroids(seed, dim);
  const noise = randomNormalArray(rng, items * dim, 0.6);
  const vectors = new Float32Array(items * dim);
  for (let i = 0; i < items; i++) {
    const c = i % clusters;
    const norm = 0.5 + rng();
    for (let d = 0; d < dim; d++) {
      vectors[i * dim + d] = norm * (centroids[c * dim + d]! + noise[i * dim + d]!);
    }
  }
  return {
    version: `v${seed}`,
    createdAt: "2026-12-01T00:00:00.000Z",
    itemIds: Array.from({ length: items }, (_, i) => `item-${i}`),
    popularity: Float32Array.from({ length: items }, () => Math.floor(rng() * 500)),
    trending: Float32Array.from({ length: items }, () => rng()),
    categories: Array.from({ length: items }, (_, i) =>
      i % 7 === 0 ? [`c${i % 12}`, "sale"] : [`c${i % 12}`],
    ),
    price: Float32Array.from({ length: items }, (_, i) => (i % 11 === 0 ? Number.NaN : (i * 13) % 200)),
    embedding: { model: "mf", version: "v1", dim, vectors },
    ...(index ? { index } : {}),
  };
}

function clusterCentroids(seed: number, dim: number): Float32Array {
  return randomNormalArray(mulberry32(seed), CLUSTERS * dim);
}

function queries(rng: Rng, count: number, dim: number): Float32Array[] {
  return Array.from({ length: count }, () => randomNormalArray(rng, dim));
}

/** Users as trained factors place them: a blend of two clusters' centroids, plus their own noise. */
function users(seed: number, count: number, dim: number, rng: Rng): Float32Array[] {
  const centroids = clusterCentroids(seed, dim);
  return Array.from({ length: count }, () => {
    const a = Math.floor(rng() * CLUSTERS);
    const b = Math.floor(rng() * CLUSTERS);
    const w = rng();
    const noise = randomNormalArray(rng, dim, 0.5);
    return Float32Array.from(
      noise,
      (e, d) => w * centroids[a * dim + d]! + (1 - w) * centroids[b * dim + d]! + e,
    );
  });
}

function randomRules(kernel: CatalogKernel, rng: Rng): SearchRules {
  const c = kernel.catalog;
  const pick = () => c.categoryId(`c${Math.floor(rng() * 12)}`);
  const roll = rng();
  return {
    includeCategories:
      roll < 0.3 ? Uint32Array.of(pick(), pick()) : roll < 0.4 ? Uint32Array.of(c.categoryId("sale")) : null,
    excludeCategories: rng() < 0.3 ? Uint32Array.of(pick()) : new Uint32Array(0),
    ...(rng() < 0.3 ? { priceMin: 20, priceMax: 150 } : {}),
    excluded: Uint32Array.from({ length: Math.floor(rng() * 300) }, () => Math.floor(rng() * c.items)),
  };
}

describe("catalogue search kernel", () => {
  /** 30 random queries under random rules: the kernel's answers, scores included, equal the exact scan's. */
  function expectExact(kernel: CatalogKernel, seed: number, n: number) {
    const rng = mulberry32(seed);
    for (const query of queries(rng, 30, 16)) {
      const rules = randomRules(kernel, rng);
      const got = kernel.nearest(kernel.catalog.embedding!, query, n, rules);
      const want = nearestReference(kernel.catalog, kernel.catalog.embedding!, query, n, rules);
      expect(got.indices).toEqual(want.indices);
      expect(got.scores).toEqual(want.scores);
    }
  }

  it("answers exactly as the exact scan without an index, under any rules", () => {
    const input = clusteredInput(3000, 16, 1, { minItems: Infinity });
    const kernel = loadCatalogKernel(kernelModule, encodeCatalog(input));
    expect(kernel.catalog.index).toBeNull();
    expectExact(kernel, 5, 50);
  });

  it("answers exactly as the exact scan through an index whose budget covers every row", () => {
    const input = clusteredInput(3000, 16, 2, { minItems: 0, probeRows: 3000 });
    const kernel = loadCatalogKernel(kernelModule, encodeCatalog(input));
    expect(kernel.catalog.index?.lists).toBeGreaterThan(1);
    expectExact(kernel, 6, 40);
  });

  it("walks the cold-start orders to the exact top n under any rules", () => {
    const kernel = loadCatalogKernel(
      kernelModule,
      encodeCatalog(clusteredInput(2000, 8, 3, { minItems: 0, probeRows: 2000 })),
    );
    const rng = mulberry32(7);
    for (let t = 0; t < 30; t++) {
      const rules = randomRules(kernel, rng);
      for (const strategy of ["popular", "trending"] as const) {
        expect(kernel.ranked(strategy, 25, rules).indices).toEqual(
          rankedReference(kernel.catalog, strategy, 25, rules).indices,
        );
      }
    }
  });

  it("reaches the published recall on a large catalogue while scanning a fraction of it, and never leaks a rule", () => {
    const items = 60_000;
    // The origin calibrates the budget on its users' embeddings; these are others from the same population.
    const calibration = users(4, 48, 32, mulberry32(100));
    const queriesBuffer = new Float32Array(48 * 32);
    calibration.forEach((q, i) => {
      queriesBuffer.set(q, i * 32);
    });
    const kernel = loadCatalogKernel(
      kernelModule,
      encodeCatalog(clusteredInput(items, 32, 4, { queries: queriesBuffer })),
    );
    const index = kernel.catalog.index!;
    expect(index.recall).toBeGreaterThanOrEqual(0.95);
    expect(index.probeRows).toBeLessThan(items / 4);
    const largestList = Math.max(...index.offsets.subarray(1).map((end, l) => end - index.offsets[l]!));
    const rng = mulberry32(8);
    let found = 0;
    let asked = 0;
    for (const query of users(4, 40, 32, rng)) {
      const rules = rng() < 0.5 ? NO_RULES : randomRules(kernel, rng);
      const got = kernel.nearest(kernel.catalog.embedding!, query, 10, rules);
      const want = nearestReference(kernel.catalog, kernel.catalog.embedding!, query, 10, rules);
      // The cap is checked between lists: at most one list past it.
      expect(got.rowsScanned).toBeLessThanOrEqual(index.probeRows * 16 + largestList);
      const excluded = new Set(rules.excluded);
      for (const i of got.indices) {
        expect(passesRules(kernel.catalog, rules, excluded, i)).toBe(true);
      }
      const truth = new Set(want.indices);
      found += Array.from(got.indices).filter((i) => truth.has(i)).length;
      asked += want.indices.length;
    }
    expect(found / asked).toBeGreaterThanOrEqual(0.95);
  });

  it("keeps its memory fixed across searches", () => {
    const kernel = loadCatalogKernel(
      kernelModule,
      encodeCatalog(clusteredInput(1000, 8, 9, { minItems: 0 })),
    );
    const before = kernel.memoryBytes;
    const rng = mulberry32(1);
    for (let t = 0; t < 50; t++) {
      kernel.nearest(kernel.catalog.embedding!, randomNormalArray(rng, 8), 100, {
        ...randomRules(kernel, rng),
        excluded: Uint32Array.from({ length: 9000 }, (_, i) => i % 1000),
      });
    }
    expect(kernel.memoryBytes).toBe(before);
  });
});

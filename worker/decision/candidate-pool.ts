/**
 * The candidates of one decision as parallel typed arrays (no per-item objects on the hot path): catalogue
 * index, the generator's raw score, and where the candidate came from.
 */
import type { Catalog } from "../../models/catalog/index.ts";
import type { TopKResult } from "../../wasm/int8-topk.ts";
import { topNByScore } from "../../wasm/top-n-by-score.ts";
import type { CandidateSource } from "./types.ts";

/** Source codes stored in CandidatePool.sources: the position in this list. */
export const CANDIDATE_SOURCES = [
  "model",
  "popular",
  "trending",
  "popular_fallback",
] as const satisfies readonly CandidateSource[];
const FALLBACK = CANDIDATE_SOURCES.indexOf("popular_fallback");

export interface CandidatePool {
  count: number;
  items: Uint32Array;
  /** The generator's score; NaN for fallback items, which no generator ranked. */
  sourceScores: Float32Array;
  sources: Uint8Array;
}

export function createPool(capacity: number): CandidatePool {
  return {
    count: 0,
    items: new Uint32Array(capacity),
    sourceScores: new Float32Array(capacity),
    sources: new Uint8Array(capacity),
  };
}

/** Appends ranked items that are eligible (a scorer that cannot skip items may return others). */
export function addRanked(
  pool: CandidatePool,
  ranked: TopKResult,
  source: CandidateSource,
  mask: Uint8Array,
): void {
  const code = CANDIDATE_SOURCES.indexOf(source);
  for (let r = 0; r < ranked.indices.length && pool.count < pool.items.length; r++) {
    const item = ranked.indices[r]!;
    if (mask[item] === 1) {
      pool.items[pool.count] = item;
      pool.sourceScores[pool.count] = ranked.scores[r]!;
      pool.sources[pool.count] = code;
      pool.count++;
    }
  }
}

/** The cold-start candidates: the `n` eligible items with the best popularity or trending score. */
export function addColdStart(
  pool: CandidatePool,
  catalog: Catalog,
  strategy: "popular" | "trending",
  n: number,
  mask: Uint8Array,
): void {
  const scores = strategy === "popular" ? catalog.popularity : catalog.trending;
  addRanked(pool, topNByScore(scores, n, mask), strategy, mask);
}

/**
 * Tops the pool up to `k` with the most popular eligible items it lacks, so a generator that returned too
 * few (a failing or partial scorer) never shrinks the answer while eligible items remain.
 */
export function fillWithPopular(pool: CandidatePool, catalog: Catalog, k: number, mask: Uint8Array): void {
  if (pool.count >= k) {
    return;
  }
  const remaining = mask.slice();
  for (let c = 0; c < pool.count; c++) {
    remaining[pool.items[c]!] = 0;
  }
  const fill = topNByScore(catalog.popularity, k - pool.count, remaining);
  for (let r = 0; r < fill.indices.length && pool.count < pool.items.length; r++) {
    pool.items[pool.count] = fill.indices[r]!;
    pool.sourceScores[pool.count] = Number.NaN;
    pool.sources[pool.count] = FALLBACK;
    pool.count++;
  }
}

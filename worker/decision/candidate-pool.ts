/**
 * The candidates of one decision as parallel typed arrays (no per-item objects on the hot path): catalogue
 * index, the generator's raw score, and where the candidate came from. Sized by the surface (candidates +
 * k), never by the catalogue.
 */
import type { Catalog } from "../../models/catalog/index.ts";
import type { SearchRules } from "../../wasm/catalog-kernel.ts";
import type { TopKResult } from "../../wasm/int8-topk.ts";
import { isEligible } from "./candidate-rules.ts";
import type { CandidateSource } from "./types.ts";

/** Source codes stored in CandidatePool.sources: the position in this list. */
export const CANDIDATE_SOURCES = [
  "model",
  "popular",
  "trending",
  "popular_fallback",
] as const satisfies readonly CandidateSource[];

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

/**
 * Appends ranked items that pass the rules (a generator that cannot apply every rule itself may return
 * others). A fallback's score is NaN: no generator ranked it for this user. Callers keep one source's items
 * out of the next's through the rules (excludingAlso), so the pool never holds an item twice.
 */
export function addRanked(
  pool: CandidatePool,
  catalog: Catalog,
  ranked: TopKResult,
  source: CandidateSource,
  rules: SearchRules,
): void {
  const code = CANDIDATE_SOURCES.indexOf(source);
  const fallback = source === "popular_fallback";
  for (let r = 0; r < ranked.indices.length && pool.count < pool.items.length; r++) {
    const item = ranked.indices[r]!;
    if (isEligible(catalog, rules, item)) {
      pool.items[pool.count] = item;
      pool.sourceScores[pool.count] = fallback ? Number.NaN : ranked.scores[r]!;
      pool.sources[pool.count] = code;
      pool.count++;
    }
  }
}

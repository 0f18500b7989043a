import type { CsrMatrix } from "./csr.ts";

/** Cold-start scores: how many distinct users interacted with each item. */
export function trainPopularity(m: CsrMatrix): Float32Array {
  const scores = new Float32Array(m.cols);
  for (let t = 0; t < m.indices.length; t++) {
    scores[m.indices[t]!]! += 1;
  }
  return scores;
}

export interface TrendingOptions {
  /** an event this old counts half as much as one happening now */
  halfLifeSeconds: number;
  /** the reference time (seconds); defaults to the newest event, so a replayed log trends as it did then */
  nowSeconds?: number;
}

/**
 * Time-decayed popularity: Σ over an item's events of 2^(−age / halfLife). Events newer than `now` (clock
 * skew) count as age 0 rather than more than 1.
 */
export function trainTrending(
  items: number,
  item: Int32Array,
  tsSeconds: Float64Array,
  options: TrendingOptions,
): Float32Array {
  if (item.length !== tsSeconds.length) {
    throw new Error(`trainTrending: ${item.length} items but ${tsSeconds.length} timestamps`);
  }
  let now = options.nowSeconds ?? Number.NEGATIVE_INFINITY;
  if (options.nowSeconds === undefined) {
    for (let e = 0; e < tsSeconds.length; e++) {
      now = Math.max(now, tsSeconds[e]!);
    }
  }
  const decay = Math.LN2 / options.halfLifeSeconds;
  const scores = new Float64Array(items);
  for (let e = 0; e < item.length; e++) {
    const age = Math.max(0, now - tsSeconds[e]!);
    scores[item[e]!]! += Math.exp(-decay * age);
  }
  return Float32Array.from(scores);
}

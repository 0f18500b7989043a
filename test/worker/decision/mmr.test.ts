import { describe, expect, it } from "vitest";
import type { ItemVectors } from "../../../models/catalog/index.ts";
import { mulberry32 } from "../../../models/random.ts";
import { type CandidatePool, createPool } from "../../../worker/decision/candidate-pool.ts";
import { selectDiverse } from "../../../worker/decision/mmr.ts";

/**
 * Textbook eager MMR: after every pick, every candidate's score λ·rel − (1 − λ)·max(0, max cos) is recomputed
 * from scratch, and the best (ties to the lower item index) is taken. Cosines are computed with the same
 * float64 operations as the engine, so the two must agree pick for pick.
 */
function eagerMmr(
  pool: CandidatePool,
  relevance: Float64Array,
  k: number,
  lambda: number,
  v: ItemVectors,
): number[] {
  const inverseNorm = (c: number) => {
    let sum = 0;
    for (let d = 0; d < v.dim; d++) {
      sum += v.values[pool.items[c]! * v.dim + d]! ** 2;
    }
    return sum > 0 ? 1 / Math.sqrt(sum) : 0;
  };
  const cosine = (a: number, b: number) => {
    let dot = 0;
    for (let d = 0; d < v.dim; d++) {
      dot += v.values[pool.items[a]! * v.dim + d]! * v.values[pool.items[b]! * v.dim + d]!;
    }
    return dot * inverseNorm(a) * inverseNorm(b);
  };
  const picks: number[] = [];
  while (picks.length < Math.min(k, pool.count)) {
    let best = -1;
    let bestScore = 0;
    for (let c = 0; c < pool.count; c++) {
      if (picks.includes(c)) {
        continue;
      }
      const similarity = Math.max(0, ...picks.map((p) => cosine(c, p)));
      const score = relevance[c]! - ((1 - lambda) / lambda) * similarity;
      if (best === -1 || score > bestScore || (score === bestScore && pool.items[c]! < pool.items[best]!)) {
        best = c;
        bestScore = score;
      }
    }
    picks.push(best);
  }
  return picks;
}

function randomCase(seed: number) {
  const rng = mulberry32(seed);
  const items = 300;
  const dim = 12;
  // Few distinct int8 levels and relevance on a coarse grid, so ties and zero vectors actually occur.
  const values = Int8Array.from({ length: items * dim }, () => Math.floor(rng() * 7) - 3);
  values.fill(0, 5 * dim, 6 * dim);
  const vectors: ItemVectors = {
    model: "mf",
    version: "v",
    dim,
    values,
    scales: new Float32Array(items).fill(0.1),
  };
  const pool = createPool(120);
  for (let c = 0; c < 120; c++) {
    pool.items[c] = (c * 7 + seed) % items;
    pool.count++;
  }
  const relevance = Float64Array.from({ length: 120 }, () => Math.round(rng() * 20) / 20);
  return { pool, relevance, vectors };
}

describe("MMR selection", () => {
  it("picks exactly what textbook eager MMR picks, for any λ", () => {
    for (let seed = 1; seed <= 12; seed++) {
      const { pool, relevance, vectors } = randomCase(seed);
      for (const lambda of [0.2, 0.5, 0.8, 1]) {
        const lazy = selectDiverse(pool, relevance, 15, lambda, vectors);
        expect(Array.from(lazy.positions)).toEqual(eagerMmr(pool, relevance, 15, lambda, vectors));
      }
    }
  });

  it("reports each pick's score as relevance minus its penalty", () => {
    const { pool, relevance, vectors } = randomCase(99);
    const selection = selectDiverse(pool, relevance, 10, 0.4, vectors);
    selection.positions.forEach((c, s) => {
      expect(selection.scores[s]).toBe(relevance[c]! - selection.penalties[s]!);
      expect(selection.penalties[s]).toBeCloseTo(1.5 * selection.similarities[s]!, 12);
    });
    expect(selection.penalties[0]).toBe(0);
  });
});

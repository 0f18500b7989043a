/**
 * Diversity by maximal marginal relevance (Carbonell & Goldstein 1998), greedy: the next pick maximises
 *
 *   score(i) = relevance(i) − β · max(0, max over picked j of cos(v_i, v_j)),   β = (1 − λ) / λ
 *
 * That is textbook MMR, λ·rel − (1 − λ)·sim, divided by λ > 0: the same picks, but the score stays in
 * relevance units, so explain's contributions sum to it with one extra "mmr_penalty" term. Negative
 * similarity is clamped to 0, so being unlike the picks is never a bonus that outranks relevance. The first
 * pick has no penalty: the most relevant item always leads. With λ = 1 (β = 0) this is top-k by relevance.
 *
 * Cosine of int8 rows equals cosine of the dequantized rows (a per-row scale is a positive factor that
 * cancels), so the int8 table is used as is. Cost: k · pool · dim multiply-adds plus one norm per candidate.
 */
import type { ItemVectors } from "../../models/catalog/index.ts";
import type { CandidatePool } from "./candidate-pool.ts";

export interface Selection {
  /** Pool positions, in the order they were picked. */
  positions: Uint32Array;
  scores: Float64Array;
  /** β · the clamped similarity each pick paid. */
  penalties: Float64Array;
  /** The largest cosine similarity to an earlier pick, clamped at 0. */
  similarities: Float64Array;
}

function norms(pool: CandidatePool, vectors: ItemVectors): Float64Array {
  const { values, dim } = vectors;
  const out = new Float64Array(pool.count);
  for (let c = 0; c < pool.count; c++) {
    const row = pool.items[c]! * dim;
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      sum += values[row + d]! * values[row + d]!;
    }
    out[c] = Math.sqrt(sum);
  }
  return out;
}

/** Raises each unpicked candidate's max similarity with the candidate just picked. */
function updateSimilarities(
  pool: CandidatePool,
  vectors: ItemVectors,
  norm: Float64Array,
  picked: Uint8Array,
  maxSimilarity: Float64Array,
  last: number,
): void {
  const { values, dim } = vectors;
  const lastRow = pool.items[last]! * dim;
  for (let c = 0; c < pool.count; c++) {
    if (picked[c] === 1 || norm[c] === 0 || norm[last] === 0) {
      continue;
    }
    const row = pool.items[c]! * dim;
    let dot = 0;
    for (let d = 0; d < dim; d++) {
      dot += values[row + d]! * values[lastRow + d]!;
    }
    maxSimilarity[c] = Math.max(maxSimilarity[c]!, dot / (norm[c]! * norm[last]!));
  }
}

export function selectDiverse(
  pool: CandidatePool,
  relevance: Float64Array,
  k: number,
  lambda: number,
  vectors: ItemVectors | null,
): Selection {
  const count = Math.min(k, pool.count);
  const beta = vectors === null ? 0 : (1 - lambda) / lambda;
  const norm = beta > 0 && vectors !== null ? norms(pool, vectors) : null;
  const picked = new Uint8Array(pool.count);
  const maxSimilarity = new Float64Array(pool.count);
  const selection: Selection = {
    positions: new Uint32Array(count),
    scores: new Float64Array(count),
    penalties: new Float64Array(count),
    similarities: new Float64Array(count),
  };
  for (let s = 0; s < count; s++) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < pool.count; c++) {
      if (picked[c] === 1) {
        continue;
      }
      const score = relevance[c]! - beta * maxSimilarity[c]!;
      // Ties go to the lower catalogue index, so equal inputs always give the same order.
      if (best === -1 || score > bestScore || (score === bestScore && pool.items[c]! < pool.items[best]!)) {
        best = c;
        bestScore = score;
      }
    }
    picked[best] = 1;
    selection.positions[s] = best;
    selection.scores[s] = bestScore;
    selection.penalties[s] = beta * maxSimilarity[best]!;
    selection.similarities[s] = maxSimilarity[best]!;
    if (norm !== null && vectors !== null && s + 1 < count) {
      updateSimilarities(pool, vectors, norm, picked, maxSimilarity, best);
    }
  }
  return selection;
}

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
 * cancels), so the int8 rows are compared as they are.
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

/** 1 / ‖row‖ of a pool candidate, computed on first use (-1 marks "not yet"); 0 for a zero vector. */
function inverseNormOf(
  pool: CandidatePool,
  vectors: ItemVectors,
  inverseNorm: Float64Array,
  c: number,
): number {
  if (inverseNorm[c]! < 0) {
    const { values, dim } = vectors;
    const row = pool.items[c]! * dim;
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      sum += values[row + d]! * values[row + d]!;
    }
    // A zero vector (an item the model never saw) is similar to nothing.
    inverseNorm[c] = sum > 0 ? 1 / Math.sqrt(sum) : 0;
  }
  return inverseNorm[c]!;
}

function cosine(
  pool: CandidatePool,
  vectors: ItemVectors,
  inverseNorm: Float64Array,
  a: number,
  b: number,
): number {
  const { values, dim } = vectors;
  const rowA = pool.items[a]! * dim;
  const rowB = pool.items[b]! * dim;
  let dot = 0;
  for (let d = 0; d < dim; d++) {
    dot += values[rowA + d]! * values[rowB + d]!;
  }
  return dot * inverseNormOf(pool, vectors, inverseNorm, a) * inverseNormOf(pool, vectors, inverseNorm, b);
}

/**
 * Lazy greedy: a candidate's MMR score can only fall as picks accumulate (its max similarity only grows),
 * so a score computed against fewer picks is an upper bound. Each round takes the candidate with the best
 * bound; if the bound is stale, the candidate's similarity is brought up to date with the picks it has not
 * seen and the round repeats, else it is the exact argmax (ties included) and is picked. Same picks as
 * recomputing every candidate after every pick, at a fraction of the k · pool · dim work: most candidates
 * are never compared with anything.
 */
export function selectDiverse(
  pool: CandidatePool,
  relevance: Float64Array,
  k: number,
  lambda: number,
  vectors: ItemVectors | null,
): Selection {
  const n = pool.count;
  const count = Math.min(k, n);
  const beta = vectors === null ? 0 : (1 - lambda) / lambda;
  const maxSimilarity = new Float64Array(n);
  // How many picks each candidate's maxSimilarity accounts for; -1 once the candidate is picked.
  const upToDate = new Int32Array(n);
  const inverseNorm = new Float64Array(n).fill(-1);
  const selection: Selection = {
    positions: new Uint32Array(count),
    scores: new Float64Array(count),
    penalties: new Float64Array(count),
    similarities: new Float64Array(count),
  };
  for (let s = 0; s < count; s++) {
    let best = -1;
    let bestScore = Number.NEGATIVE_INFINITY;
    for (;;) {
      best = -1;
      for (let c = 0; c < n; c++) {
        if (upToDate[c]! < 0) {
          continue;
        }
        const score = relevance[c]! - beta * maxSimilarity[c]!;
        // Ties go to the lower catalogue index, so equal inputs always give the same order.
        if (best === -1 || score > bestScore || (score === bestScore && pool.items[c]! < pool.items[best]!)) {
          best = c;
          bestScore = score;
        }
      }
      if (vectors === null || beta === 0 || upToDate[best] === s) {
        break;
      }
      for (let p = upToDate[best]!; p < s; p++) {
        const similarity = cosine(pool, vectors, inverseNorm, best, selection.positions[p]!);
        maxSimilarity[best] = Math.max(maxSimilarity[best]!, similarity);
      }
      upToDate[best] = s;
    }
    upToDate[best] = -1;
    selection.positions[s] = best;
    selection.scores[s] = bestScore;
    selection.penalties[s] = beta * maxSimilarity[best]!;
    selection.similarities[s] = maxSimilarity[best]!;
  }
  return selection;
}

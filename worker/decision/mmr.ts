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
 * Lazy greedy over a heap (Minoux's accelerated greedy): a candidate's MMR score can only fall as picks
 * accumulate (its max similarity only grows), so a score computed against fewer picks is an upper bound.
 * The heap orders candidates by that bound (ties to the lower catalogue index). Each round looks at the top:
 * if its bound is stale, its similarity is brought up to date with the picks it has not seen and it sinks
 * to its place; if it is current, it is the exact argmax (ties included) and is picked. Same picks as
 * recomputing every candidate after every pick, with O(log pool) per step instead of a rescan of the pool,
 * and most candidates are never compared with anything.
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
  // How many picks each candidate's maxSimilarity accounts for.
  const upToDate = new Int32Array(n);
  const inverseNorm = new Float64Array(n).fill(-1);
  const selection: Selection = {
    positions: new Uint32Array(count),
    scores: new Float64Array(count),
    penalties: new Float64Array(count),
    similarities: new Float64Array(count),
  };
  const bound = (c: number) => relevance[c]! - beta * maxSimilarity[c]!;
  const before = (a: number, b: number) => {
    const sa = bound(a);
    const sb = bound(b);
    return sa > sb || (sa === sb && pool.items[a]! < pool.items[b]!);
  };
  const heap = Int32Array.from({ length: n }, (_, c) => c);
  const siftDown = (size: number, from: number) => {
    const c = heap[from]!;
    let pos = from;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && before(heap[child + 1]!, heap[child]!)) {
        child++;
      }
      if (!before(heap[child]!, c)) {
        break;
      }
      heap[pos] = heap[child]!;
      pos = child;
    }
    heap[pos] = c;
  };
  for (let pos = (n >> 1) - 1; pos >= 0; pos--) {
    siftDown(n, pos);
  }
  let size = n;
  for (let s = 0; s < count; s++) {
    let best = heap[0]!;
    while (vectors !== null && beta !== 0 && upToDate[best] !== s) {
      for (let p = upToDate[best]!; p < s; p++) {
        const similarity = cosine(pool, vectors, inverseNorm, best, selection.positions[p]!);
        maxSimilarity[best] = Math.max(maxSimilarity[best]!, similarity);
      }
      upToDate[best] = s;
      siftDown(size, 0);
      best = heap[0]!;
    }
    size--;
    heap[0] = heap[size]!;
    siftDown(size, 0);
    selection.positions[s] = best;
    selection.scores[s] = bound(best);
    selection.penalties[s] = beta * maxSimilarity[best]!;
    selection.similarities[s] = maxSimilarity[best]!;
  }
  return selection;
}

import type { SparseRows } from "../../../models/features/index.ts";

/**
 * NB-SVM's feature scaling (Wang & Manning 2012): each hashed feature j gets the log-count ratio
 *   r_j = log( (α + p_j) / ‖α + p‖₁ ) − log( (α + q_j) / ‖α + q‖₁ )
 * where p_j and q_j count the positive and negative training texts in which it occurs. A linear model over
 * r ∘ x starts from naive Bayes's verdict on every n-gram and learns corrections to it, which suits short
 * texts with few, sparse features. Columns below `from` (the dense sentiment cues) keep ratio 1. Since the
 * scaling is elementwise, the model served multiplies it into its weights: w'_j = w_j · r_j.
 */
export function logCountRatios(
  x: SparseRows,
  labels: ArrayLike<number>,
  from: number,
  alpha = 1,
): Float32Array {
  const positive = new Float64Array(x.dim);
  const negative = new Float64Array(x.dim);
  for (let r = 0; r < x.rows; r++) {
    const counts = labels[r] === 1 ? positive : negative;
    for (let t = x.offsets[r]!; t < x.offsets[r + 1]!; t++) {
      if (x.values[t]! > 0) {
        counts[x.indices[t]!]! += 1;
      }
    }
  }
  let positiveTotal = 0;
  let negativeTotal = 0;
  for (let j = from; j < x.dim; j++) {
    positiveTotal += alpha + positive[j]!;
    negativeTotal += alpha + negative[j]!;
  }
  const ratios = new Float32Array(x.dim).fill(1);
  for (let j = from; j < x.dim; j++) {
    ratios[j] =
      Math.log((alpha + positive[j]!) / positiveTotal) - Math.log((alpha + negative[j]!) / negativeTotal);
  }
  return ratios;
}

import type { SparseRows } from "../../../models/features/index.ts";
import { mulberry32 } from "../../../models/random.ts";
import { choleskyInPlace, choleskySolveInPlace } from "../linalg/cholesky.ts";
import { selectRows } from "../linear/index.ts";

/**
 * A learned map from an item's content vector (TF-IDF, L2-normalised) to the MF item space, so an item with
 * no interactions yet gets a usable factor vector (cold start) and similar-item answers can mix content and
 * behaviour. Kernel ridge regression with the linear kernel: for support items X (their content) and
 * centred targets V − v̄ (their MF vectors), α = (X·Xᵀ + λI)⁻¹·(V − v̄) and a new item x maps to
 * v̄ + Σⱼ (x·xⱼ)·αⱼ. The n×n solve reuses the blocked Cholesky (n = support items, a few thousand at most),
 * where the primal form would need a vocabulary-sized one.
 */
export interface ContentToFactors {
  support: SparseRows;
  /** [n × factors] */
  coefficients: Float64Array;
  mean: Float64Array;
  factors: number;
  lambda: number;
}

/** For each term, the support rows holding it and their weights: sparse dot products by term overlap. */
function postings(rows: SparseRows): { start: Int32Array; row: Int32Array; weight: Float32Array } {
  const start = new Int32Array(rows.dim + 1);
  for (let t = 0; t < rows.indices.length; t++) {
    start[rows.indices[t]! + 1]!++;
  }
  for (let d = 0; d < rows.dim; d++) {
    start[d + 1]! += start[d]!;
  }
  const cursor = start.slice(0, rows.dim);
  const row = new Int32Array(rows.indices.length);
  const weight = new Float32Array(rows.indices.length);
  for (let r = 0; r < rows.rows; r++) {
    for (let t = rows.offsets[r]!; t < rows.offsets[r + 1]!; t++) {
      const slot = cursor[rows.indices[t]!]!++;
      row[slot] = r;
      weight[slot] = rows.values[t]!;
    }
  }
  return { start, row, weight };
}

/** out[j] = x_r · support_j for every support row j (out is zeroed first). */
function kernelRow(x: SparseRows, r: number, index: ReturnType<typeof postings>, out: Float64Array): void {
  out.fill(0);
  for (let t = x.offsets[r]!; t < x.offsets[r + 1]!; t++) {
    const d = x.indices[t]!;
    if (d >= index.start.length - 1) {
      continue;
    }
    const v = x.values[t]!;
    for (let p = index.start[d]!; p < index.start[d + 1]!; p++) {
      out[index.row[p]!]! += v * index.weight[p]!;
    }
  }
}

export function fitContentToFactors(
  support: SparseRows,
  targets: Float32Array,
  factors: number,
  lambda = 0.1,
): ContentToFactors {
  const n = support.rows;
  if (targets.length !== n * factors) {
    throw new RangeError(`fitContentToFactors: ${targets.length} target values for ${n} × ${factors}`);
  }
  const mean = new Float64Array(factors);
  for (let r = 0; r < n; r++) {
    for (let a = 0; a < factors; a++) {
      mean[a]! += targets[r * factors + a]! / n;
    }
  }
  const index = postings(support);
  const k = new Float64Array(n * n);
  const row = new Float64Array(n);
  for (let r = 0; r < n; r++) {
    kernelRow(support, r, index, row);
    k.set(row, r * n);
    k[r * n + r]! += lambda;
  }
  choleskyInPlace(k, n);
  const coefficients = new Float64Array(n * factors);
  const rhs = new Float64Array(n);
  for (let a = 0; a < factors; a++) {
    for (let r = 0; r < n; r++) {
      rhs[r] = targets[r * factors + a]! - mean[a]!;
    }
    choleskySolveInPlace(k, n, rhs);
    for (let r = 0; r < n; r++) {
      coefficients[r * factors + a] = rhs[r]!;
    }
  }
  return { support, coefficients, mean, factors, lambda };
}

/** MF-space vectors [x.rows × factors] for content rows over the same vocabulary as the support. */
export function predictFactors(model: ContentToFactors, x: SparseRows): Float32Array {
  const n = model.support.rows;
  const f = model.factors;
  const index = postings(model.support);
  const kx = new Float64Array(n);
  const out = new Float32Array(x.rows * f);
  for (let r = 0; r < x.rows; r++) {
    kernelRow(x, r, index, kx);
    for (let a = 0; a < f; a++) {
      out[r * f + a] = model.mean[a]!;
    }
    for (let j = 0; j < n; j++) {
      const w = kx[j]!;
      if (w === 0) {
        continue;
      }
      for (let a = 0; a < f; a++) {
        out[r * f + a]! += w * model.coefficients[j * f + a]!;
      }
    }
  }
  return out;
}

/**
 * Chooses λ on a held-out fifth of the support items (lowest mean squared error of the predicted vectors),
 * then refits on all of them: the cold items the map is for are never seen while choosing.
 */
export function fitContentToFactorsTuned(
  support: SparseRows,
  targets: Float32Array,
  factors: number,
  lambdas: readonly number[],
  seed = 1,
): { map: ContentToFactors; lambda: number; validationMse: number[] } {
  const n = support.rows;
  const rng = mulberry32(seed);
  const fit: number[] = [];
  const held: number[] = [];
  for (let r = 0; r < n; r++) {
    (rng() < 0.2 ? held : fit).push(r);
  }
  const pick = (rows: number[]) => {
    const out = new Float32Array(rows.length * factors);
    rows.forEach((r, t) => {
      out.set(targets.subarray(r * factors, (r + 1) * factors), t * factors);
    });
    return out;
  };
  const heldTargets = pick(held);
  const validationMse = lambdas.map((lambda) => {
    const predicted = predictFactors(
      fitContentToFactors(selectRows(support, fit), pick(fit), factors, lambda),
      selectRows(support, held),
    );
    let se = 0;
    for (let t = 0; t < predicted.length; t++) {
      se += (predicted[t]! - heldTargets[t]!) ** 2;
    }
    return se / Math.max(1, held.length);
  });
  const best = lambdas[validationMse.indexOf(Math.min(...validationMse))]!;
  return { map: fitContentToFactors(support, targets, factors, best), lambda: best, validationMse };
}

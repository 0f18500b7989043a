import type { SparseRows } from "../../../models/features/sparse-rows.ts";
import { mulberry32 } from "../../../models/random.ts";

/**
 * Binary logistic regression over sparse rows, trained by per-coordinate AdaGrad (Duchi et al. 2011) with L2:
 * each weight gets a step size that shrinks with its own gradient history, which suits hashed text (rare
 * buckets keep large steps) and standardised tabular features alike. L2 is applied to the coordinates a row
 * touches (the usual sparse approximation), scaled so `l2` means the per-example penalty λ in
 * mean(loss) + λ/2·‖w‖².
 */
export interface LogisticRegressionOptions {
  l2?: number;
  epochs?: number;
  learningRate?: number;
  seed?: number;
}

export interface LogisticModel {
  dim: number;
  weights: Float32Array;
  bias: number;
}

export const LOGISTIC_DEFAULTS = { l2: 1e-4, epochs: 10, learningRate: 0.2, seed: 1 } as const;

function sigmoid(z: number): number {
  return z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z));
}

export function trainLogisticRegression(
  x: SparseRows,
  labels: ArrayLike<number>,
  options: LogisticRegressionOptions = {},
): LogisticModel {
  if (labels.length !== x.rows) {
    throw new Error(`trainLogisticRegression: ${x.rows} rows but ${labels.length} labels`);
  }
  const o = { ...LOGISTIC_DEFAULTS, ...options };
  const w = new Float64Array(x.dim);
  const g2 = new Float64Array(x.dim);
  let bias = 0;
  let biasG2 = 0;
  const order = new Int32Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    order[r] = r;
  }
  const rng = mulberry32(o.seed);
  const eps = 1e-8;
  for (let epoch = 0; epoch < o.epochs; epoch++) {
    for (let t = x.rows - 1; t > 0; t--) {
      const j = Math.floor(rng() * (t + 1));
      const tmp = order[t]!;
      order[t] = order[j]!;
      order[j] = tmp;
    }
    for (let s = 0; s < x.rows; s++) {
      const r = order[s]!;
      const start = x.offsets[r]!;
      const end = x.offsets[r + 1]!;
      let z = bias;
      for (let t = start; t < end; t++) {
        z += w[x.indices[t]!]! * x.values[t]!;
      }
      const err = sigmoid(z) - labels[r]!;
      for (let t = start; t < end; t++) {
        const j = x.indices[t]!;
        const g = err * x.values[t]! + o.l2 * w[j]!;
        g2[j]! += g * g;
        w[j]! -= (o.learningRate * g) / (Math.sqrt(g2[j]!) + eps);
      }
      biasG2 += err * err;
      bias -= (o.learningRate * err) / (Math.sqrt(biasG2) + eps);
    }
  }
  return { dim: x.dim, weights: Float32Array.from(w), bias };
}

/** P(label = 1) for every row. */
export function predictLogistic(model: LogisticModel, x: SparseRows): Float32Array {
  const out = new Float32Array(x.rows);
  for (let r = 0; r < x.rows; r++) {
    let z = model.bias;
    for (let t = x.offsets[r]!; t < x.offsets[r + 1]!; t++) {
      z += model.weights[x.indices[t]!]! * x.values[t]!;
    }
    out[r] = sigmoid(z);
  }
  return out;
}

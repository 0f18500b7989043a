import {
  type BuiltModel,
  buildEmbeddingScorer,
  buildMlpScorer,
  EMBEDDING_ITEMS_INPUT,
  EMBEDDING_OUTPUT,
  EMBEDDING_USER_INPUT,
  MLP_INPUT,
  MLP_OUTPUT,
  type Quantization,
} from "../../../models/onnx/index.ts";
import { loadOrtWebModel } from "../evaluation/ort-web-session.ts";
import type { CsrMatrix } from "./csr.ts";
import type { EaseModel } from "./ease.ts";
import type { MfModel } from "./ials.ts";
import type { UserScorer } from "./recommender.ts";

/**
 * EASE as ONNX: one dense layer, input "features" [N, h] (the user's multi-hot history over the head items,
 * in `model.items` order), output "score" [N, h]. Int8 keeps one scale per output column (per target item),
 * which fits B's columns: each is −P[:, j] / P[j, j], so their ranges differ item by item.
 * Size: h² bytes in int8 (4 MB at h = 2,000), dequantized to h² float32 inside the session.
 */
export function exportEase(model: EaseModel, quantize: Quantization, version = "0"): BuiltModel {
  const h = model.items.length;
  return buildMlpScorer({
    layers: [{ weights: model.weights, bias: new Float32Array(h), in: h, out: h }],
    activation: "relu",
    output: "identity",
    quantize,
    name: "recs-ease",
    version,
  });
}

/**
 * The MF item table as an embedding scorer: input "user" [B, f] (the user's factors, which the origin
 * publishes as a user feature) and "item_ids" [N] → "scores" [B, N]. Per-row int8 scales: popular items grow
 * longer vectors, and one shared scale would flatten the rest.
 */
export function exportMf(model: MfModel, quantize: Quantization, version = "0"): BuiltModel {
  return buildEmbeddingScorer({
    itemTable: model.itemFactors,
    items: model.items,
    dim: model.factors,
    quantize,
    scaleGranularity: "per-row",
    name: "recs-mf",
    version,
  });
}

/** Head-item scores [users, h] for every user of `train`, by onnxruntime-web. */
export async function easeScoresWithOnnx(
  built: BuiltModel,
  model: EaseModel,
  train: CsrMatrix,
  batchUsers = 64,
): Promise<Float32Array> {
  const h = model.items.length;
  const session = await loadOrtWebModel(built.bytes);
  try {
    const out = new Float32Array(train.rows * h);
    for (let from = 0; from < train.rows; from += batchUsers) {
      const to = Math.min(train.rows, from + batchUsers);
      const x = new Float32Array((to - from) * h);
      for (let u = from; u < to; u++) {
        for (let t = train.offsets[u]!; t < train.offsets[u + 1]!; t++) {
          const p = model.position[train.indices[t]!]!;
          if (p >= 0) {
            x[(u - from) * h + p] = 1;
          }
        }
      }
      const result = await session.run({ [MLP_INPUT]: { dtype: "float32", data: x, dims: [to - from, h] } });
      out.set(result[MLP_OUTPUT]!, from * h);
    }
    return out;
  } finally {
    await session.release();
  }
}

/** Scores [users, items] of every user against the whole catalogue, by onnxruntime-web. */
export async function mfScoresWithOnnx(
  built: BuiltModel,
  model: MfModel,
  batchUsers = 128,
): Promise<Float32Array> {
  const session = await loadOrtWebModel(built.bytes);
  try {
    const ids = new BigInt64Array(model.items);
    for (let i = 0; i < model.items; i++) {
      ids[i] = BigInt(i);
    }
    const out = new Float32Array(model.users * model.items);
    const f = model.factors;
    for (let from = 0; from < model.users; from += batchUsers) {
      const to = Math.min(model.users, from + batchUsers);
      const result = await session.run({
        [EMBEDDING_USER_INPUT]: {
          dtype: "float32",
          data: model.userFactors.subarray(from * f, to * f),
          dims: [to - from, f],
        },
        [EMBEDDING_ITEMS_INPUT]: { dtype: "int64", data: ids, dims: [model.items] },
      });
      out.set(result[EMBEDDING_OUTPUT]!, from * model.items);
    }
    return out;
  } finally {
    await session.release();
  }
}

/** A scorer reading precomputed catalogue scores [users, items]. */
export function matrixScorer(scores: Float32Array, items: number): UserScorer {
  return (user, _history, out) => {
    out.set(scores.subarray(user * items, (user + 1) * items));
  };
}

/** A scorer reading precomputed EASE head scores [users, h], with the same fallback as easeScorer. */
export function easeMatrixScorer(
  model: EaseModel,
  headScores: Float32Array,
  fallback: UserScorer,
): UserScorer {
  const h = model.items.length;
  return (user, history, out) => {
    let known = false;
    for (let t = 0; t < history.length && !known; t++) {
      known = model.position[history[t]!]! >= 0;
    }
    if (!known) {
      fallback(user, history, out);
      return;
    }
    out.fill(Number.NEGATIVE_INFINITY);
    const base = user * h;
    for (let j = 0; j < h; j++) {
      out[model.items[j]!] = headScores[base + j]!;
    }
  };
}

import { type SparseRows, toDenseRows, toPaddedRows } from "../../../models/features/sparse-rows.ts";
import {
  type BuiltModel,
  buildLinearClassifier,
  buildSparseLinearClassifier,
  CLASSIFIER_INPUT,
  CLASSIFIER_OUTPUT,
  type Quantization,
  SPARSE_CLASSIFIER_OUTPUT,
  SPARSE_INDICES_INPUT,
  SPARSE_VALUES_INPUT,
} from "../../../models/onnx/index.ts";
import { loadOrtWebModel, type OrtFeed } from "../evaluation/ort-web-session.ts";
import type { LogisticModel } from "./logistic-regression.ts";

/** A logistic model as ONNX: features [N, dim] → sigmoid(x·w + b) → probabilities [N, 1]. */
export function exportLogisticModel(
  model: LogisticModel,
  quantize: Quantization,
  meta: { name: string; version?: string },
): BuiltModel {
  return buildLinearClassifier({
    weights: model.weights,
    bias: Float32Array.of(model.bias),
    inputDim: model.dim,
    classes: 1,
    output: "sigmoid",
    quantize,
    name: meta.name,
    version: meta.version ?? "0",
  });
}

/** A logistic model over sparse rows as ONNX: (indices, values) [N, K] → probabilities [N, 1]. */
export function exportSparseLogisticModel(
  model: LogisticModel,
  quantize: Quantization,
  meta: { name: string; version?: string },
): BuiltModel {
  return buildSparseLinearClassifier({
    weights: model.weights,
    bias: model.bias,
    quantize,
    name: meta.name,
    version: meta.version ?? "0",
  });
}

/** P(label = 1) for every row, computed by onnxruntime-web from a sparse export's bytes (rows padded per batch). */
export function predictSparseWithOnnx(
  built: BuiltModel,
  x: SparseRows,
  batchRows = 256,
): Promise<Float32Array> {
  return runInBatches(built, x.rows, batchRows, SPARSE_CLASSIFIER_OUTPUT, (from, to) => {
    const { indices, values, width } = toPaddedRows(x, from, to);
    const dims = [to - from, width];
    return {
      [SPARSE_INDICES_INPUT]: { dtype: "int32", data: indices, dims },
      [SPARSE_VALUES_INPUT]: { dtype: "float32", data: values, dims },
    };
  });
}

/**
 * P(label = 1) for every row, computed by onnxruntime-web from the exported bytes. Rows are densified in
 * batches of `batchRows` (a 2^16-wide batch of 64 rows is 16 MB of float32).
 */
export function predictWithOnnx(built: BuiltModel, x: SparseRows, batchRows = 64): Promise<Float32Array> {
  return runInBatches(built, x.rows, batchRows, CLASSIFIER_OUTPUT, (from, to) => ({
    [CLASSIFIER_INPUT]: { dtype: "float32", data: toDenseRows(x, from, to), dims: [to - from, x.dim] },
  }));
}

/** One session over the bytes, run on rows [from, to) at a time; the one-per-row output gathered. */
async function runInBatches(
  built: BuiltModel,
  rows: number,
  batchRows: number,
  output: string,
  feeds: (from: number, to: number) => Record<string, OrtFeed>,
): Promise<Float32Array> {
  const session = await loadOrtWebModel(built.bytes);
  try {
    const out = new Float32Array(rows);
    for (let from = 0; from < rows; from += batchRows) {
      const to = Math.min(rows, from + batchRows);
      out.set((await session.run(feeds(from, to)))[output]!, from);
    }
    return out;
  } finally {
    await session.release();
  }
}

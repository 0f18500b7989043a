import { type SparseRows, toDenseRows } from "../../../models/features/sparse-rows.ts";
import {
  type BuiltModel,
  buildLinearClassifier,
  CLASSIFIER_INPUT,
  CLASSIFIER_OUTPUT,
  type Quantization,
} from "../../../models/onnx/index.ts";
import { loadOrtWebModel } from "../evaluation/ort-web-session.ts";
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

/**
 * P(label = 1) for every row, computed by onnxruntime-web from the exported bytes. Rows are densified in
 * batches of `batchRows` (a 2^16-wide batch of 64 rows is 16 MB of float32).
 */
export async function predictWithOnnx(
  built: BuiltModel,
  x: SparseRows,
  batchRows = 64,
): Promise<Float32Array> {
  const session = await loadOrtWebModel(built.bytes);
  try {
    const out = new Float32Array(x.rows);
    for (let from = 0; from < x.rows; from += batchRows) {
      const to = Math.min(x.rows, from + batchRows);
      const result = await session.run({
        [CLASSIFIER_INPUT]: { dtype: "float32", data: toDenseRows(x, from, to), dims: [to - from, x.dim] },
      });
      out.set(result[CLASSIFIER_OUTPUT]!, from);
    }
    return out;
  } finally {
    await session.release();
  }
}

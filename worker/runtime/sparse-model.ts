import type { ModelEntry } from "../../models/contracts/index.ts";
import type { SparseVector } from "../../models/features/index.ts";
import { ModelRunError, runModel } from "./model-run.ts";
import type { ModelSource } from "./model-session.ts";
import type { SpanTimer } from "./span-timer.ts";

/** Whether a model takes one text's features as (int32 indices, float32 values) [rows, K]. */
export function isSparseInputModel(entry: ModelEntry): boolean {
  const [indices, values] = entry.inputs;
  return (
    entry.inputs.length === 2 &&
    indices?.dtype === "int32" &&
    indices.shape.length === 2 &&
    values?.dtype === "float32" &&
    values.shape.length === 2
  );
}

/**
 * Runs a sparse-input model on one feature vector: its indices and values go in as they are (one row of
 * K), so a request copies K pairs into ORT instead of a hash-wide dense vector. An empty vector is fed as
 * one zero-valued pair (index 0), which adds nothing. See runModel.
 */
export async function runSparseModel(
  source: ModelSource,
  timer: SpanTimer,
  entry: ModelEntry,
  vector: SparseVector,
): Promise<{ output: string; values: Float32Array }> {
  if (!isSparseInputModel(entry)) {
    throw new ModelRunError(`model '${entry.name}' does not take sparse features`, "model_unavailable");
  }
  const empty = vector.indices.length === 0;
  const dims = [1, empty ? 1 : vector.indices.length];
  return runModel(source, timer, entry, {
    [entry.inputs[0]!.name]: { dtype: "int32", data: empty ? new Int32Array(1) : vector.indices, dims },
    [entry.inputs[1]!.name]: { dtype: "float32", data: empty ? new Float32Array(1) : vector.values, dims },
  });
}

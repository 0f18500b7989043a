import type { ModelEntry } from "../../models/contracts/index.ts";
import { ModelRunError, runModel } from "./model-run.ts";
import type { ModelSource } from "./model-session.ts";
import type { SpanTimer } from "./span-timer.ts";

/** The feature width of a model whose only input is [batch, width] float32, or null. */
export function denseInputWidth(entry: ModelEntry): number | null {
  const input = entry.inputs[0];
  if (input?.dtype !== "float32" || input.shape.length !== 2 || entry.inputs.length !== 1) {
    return null;
  }
  const width = input.shape[1];
  return typeof width === "number" && width > 0 ? width : null;
}

/** Runs a dense-input model on `rows` feature vectors (row-major in `features`); see runModel. */
export async function runDenseModel(
  source: ModelSource,
  timer: SpanTimer,
  entry: ModelEntry,
  features: Float32Array,
  rows: number,
): Promise<{ output: string; values: Float32Array }> {
  const width = denseInputWidth(entry);
  if (width === null || features.length !== rows * width) {
    throw new ModelRunError(
      `model '${entry.name}' does not take ${rows} × ${features.length / rows} features`,
      "model_unavailable",
    );
  }
  return runModel(source, timer, entry, {
    [entry.inputs[0]!.name]: { dtype: "float32", data: features, dims: [rows, width] },
  });
}

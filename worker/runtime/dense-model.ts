import { type ApiErrorCode, type ModelEntry, PublishedBytesError } from "../../models/contracts/index.ts";
import { runSession } from "./index.ts";
import { type ModelSource, withModelSession } from "./model-session.ts";
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

export class ModelRunError extends Error {
  /** A stable error code: model_bytes_missing, model_checksum_mismatch or model_unavailable. */
  readonly code: ApiErrorCode;

  constructor(message: string, code: ApiErrorCode) {
    super(message);
    this.code = code;
  }
}

/**
 * Runs a dense-input model on `rows` feature vectors (row-major in `features`) through the
 * isolate's cached session, timing the session lookup and the run for Server-Timing. Returns the
 * first output's values; throws ModelRunError with a code when the model cannot be run.
 */
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
  try {
    const input = entry.inputs[0]!;
    const output = entry.outputs[0]!;
    timer.start("session");
    const outputs = await withModelSession(source, entry, (session) => {
      timer.end("session");
      timer.start(`model-${entry.name}`);
      return runSession(session, {
        [input.name]: { dtype: "float32", data: features, dims: [rows, width] },
      });
    });
    timer.end(`model-${entry.name}`);
    const result = outputs[output.name];
    if (!result) {
      throw new ModelRunError(
        `model '${entry.name}' produced no '${output.name}' output`,
        "model_unavailable",
      );
    }
    return { output: output.name, values: result.data };
  } catch (error) {
    if (error instanceof ModelRunError) {
      throw error;
    }
    const message = error instanceof Error ? error.message : String(error);
    console.error(`running ${entry.name}@${entry.version} failed: ${message}`);
    const code =
      error instanceof PublishedBytesError ? (`model_${error.code}` as const) : "model_unavailable";
    throw new ModelRunError(`model '${entry.name}' cannot be run right now: ${message}`, code);
  }
}

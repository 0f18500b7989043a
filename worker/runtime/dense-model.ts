import type { Context } from "hono";
import { endTime, startTime } from "hono/timing";
import type { ApiErrorCode, ModelEntry } from "../../models/contracts/index.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { ChunkedBytesError } from "../store/chunked-bytes.ts";
import { runSession } from "./index.ts";
import { withModelSession } from "./model-session.ts";

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
  c: Context<EdgeContext>,
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
    startTime(c, "session");
    const outputs = await withModelSession(c.var.state.sessions, c.env.MODELS, entry, (session) => {
      endTime(c, "session");
      startTime(c, `model-${entry.name}`);
      return runSession(session, {
        [input.name]: { dtype: "float32", data: features, dims: [rows, width] },
      });
    });
    endTime(c, `model-${entry.name}`);
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
    const code = error instanceof ChunkedBytesError ? (`model_${error.code}` as const) : "model_unavailable";
    throw new ModelRunError(`model '${entry.name}' cannot be run right now: ${message}`, code);
  }
}

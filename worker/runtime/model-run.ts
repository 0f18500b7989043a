import { type ApiErrorCode, type ModelEntry, PublishedBytesError } from "../../models/contracts/index.ts";
import { type InputValue, runSession } from "./index.ts";
import { type ModelSource, withModelSession } from "./model-session.ts";
import type { SpanTimer } from "./span-timer.ts";

export class ModelRunError extends Error {
  /** A stable error code: model_bytes_missing, model_checksum_mismatch or model_unavailable. */
  readonly code: ApiErrorCode;

  constructor(message: string, code: ApiErrorCode) {
    super(message);
    this.code = code;
  }
}

/**
 * Runs a manifest entry's model on `feeds` through the isolate's cached session, timing the session
 * lookup and the run for Server-Timing. Returns the first output's values; throws ModelRunError with a
 * code when the model cannot be run.
 */
export async function runModel(
  source: ModelSource,
  timer: SpanTimer,
  entry: ModelEntry,
  feeds: Record<string, InputValue>,
): Promise<{ output: string; values: Float32Array }> {
  try {
    const output = entry.outputs[0]!;
    timer.start("session");
    const outputs = await withModelSession(source, entry, (session) => {
      timer.end("session");
      timer.start(`model-${entry.name}`);
      return runSession(session, feeds);
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

/**
 * The edge inference runtime: ORT-web sessions from model bytes, typed runs, and the per-isolate
 * session cache. Everything workerd-specific about ORT stays in ort-wasm-shim.ts.
 */
import type { InferenceSession, Tensor } from "onnxruntime-web/wasm";
import { installOrtWasm } from "./ort-wasm-shim.ts";

export { SessionCache } from "./session-cache.ts";

/** Creates a session from model bytes (never a path or URL: ORT would try Node's fs). */
export function createSession(modelBytes: Uint8Array): Promise<InferenceSession> {
  const ort = installOrtWasm();
  return ort.InferenceSession.create(modelBytes, {
    executionProviders: ["wasm"],
    graphOptimizationLevel: "all",
  });
}

export type InputValue =
  | { dtype: "float32"; data: Float32Array; dims: readonly number[] }
  | { dtype: "int64"; data: BigInt64Array; dims: readonly number[] }
  | { dtype: "int32"; data: Int32Array; dims: readonly number[] };

/** Runs a session on typed inputs and returns each output's data and dims. */
export async function runSession(
  session: InferenceSession,
  inputs: Record<string, InputValue>,
): Promise<Record<string, { data: Float32Array; dims: readonly number[] }>> {
  const ort = installOrtWasm();
  const feeds: Record<string, Tensor> = {};
  for (const [name, input] of Object.entries(inputs)) {
    feeds[name] = new ort.Tensor(input.dtype, input.data, input.dims);
  }
  const results = await session.run(feeds);
  const outputs: Record<string, { data: Float32Array; dims: readonly number[] }> = {};
  for (const [name, tensor] of Object.entries(results)) {
    if (tensor.type !== "float32") {
      throw new Error(`output ${name} is ${tensor.type}; the edge reads float32 outputs only`);
    }
    outputs[name] = { data: tensor.data as Float32Array, dims: tensor.dims };
    tensor.dispose();
  }
  return outputs;
}

/** The ORT-web version this Worker bundles, for /health. */
export function ortVersion(): string {
  return installOrtWasm().env.versions.web ?? "unknown";
}

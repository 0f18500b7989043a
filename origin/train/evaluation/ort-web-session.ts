/**
 * Runs exported models through onnxruntime-web in Node (its wasm backend, one thread: what workerd runs),
 * so the quantization check measures the runtime the edge uses rather than a TypeScript re-implementation.
 */
import * as ort from "onnxruntime-web";

ort.env.wasm.numThreads = 1;

export interface OrtFeed {
  dtype: "float32" | "int32" | "int64";
  data: Float32Array | Int32Array | BigInt64Array;
  dims: readonly number[];
}

export interface OrtWebModel {
  inputNames: readonly string[];
  outputNames: readonly string[];
  /** Runs once and returns every output as float32 data (our graphs only output float32). */
  run(feeds: Record<string, OrtFeed>): Promise<Record<string, Float32Array>>;
  release(): Promise<void>;
}

export async function loadOrtWebModel(bytes: Uint8Array): Promise<OrtWebModel> {
  const session = await ort.InferenceSession.create(bytes);
  return {
    inputNames: session.inputNames,
    outputNames: session.outputNames,
    async run(feeds) {
      const tensors: Record<string, ort.Tensor> = {};
      for (const [name, feed] of Object.entries(feeds)) {
        tensors[name] = new ort.Tensor(feed.dtype, feed.data, feed.dims);
      }
      const outputs = await session.run(tensors);
      const result: Record<string, Float32Array> = {};
      for (const [name, tensor] of Object.entries(outputs)) {
        result[name] = tensor.data as Float32Array;
      }
      return result;
    },
    release: () => session.release(),
  };
}

/**
 * The ONNX runtimes every parity test runs a model through, behind one small adapter so a test says
 * "for each runtime" once. onnxruntime-web is imported the way the Node side imports it (its package
 * `exports` map resolves to the Node build of the wasm backend); the Worker's own workerd tests cover the
 * bundled build.
 */
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import { NATIVE_PARITY_SESSION_OPTIONS } from "../../../../models/onnx/index.ts";

// One thread: what workerd allows, and it keeps the wasm build deterministic in summation order.
ortWeb.env.wasm.numThreads = 1;

export type FeedDtype = "float32" | "int32" | "int64";

export interface Feed {
  dtype: FeedDtype;
  data: Float32Array | Int32Array | BigInt64Array;
  dims: readonly number[];
}

export interface RunResult {
  data: Float32Array;
  dims: readonly number[];
}

export interface LoadedModel {
  inputNames: readonly string[];
  outputNames: readonly string[];
  /** Input shapes as the runtime reports them (symbolic dims as their names). */
  inputShapes: ReadonlyArray<readonly (number | string)[]>;
  outputShapes: ReadonlyArray<readonly (number | string)[]>;
  run(feeds: Record<string, Feed>): Promise<Record<string, RunResult>>;
}

export interface Runtime {
  label: string;
  /**
   * True where the runtime may quantize activations of an int8 MatMul (native ORT's default MatMulNBits
   * fusion, accuracy_level 4): its int8 results then carry an extra, separately bounded error.
   */
  quantizesActivations: boolean;
  load(bytes: Uint8Array): Promise<LoadedModel>;
}

type Ort = typeof ortNode;

function shapesOf(metadata: readonly ortNode.InferenceSession.ValueMetadata[]) {
  return metadata.map((m) => (m.isTensor ? m.shape : []));
}

function runtime(
  label: string,
  ort: Ort,
  options: ortNode.InferenceSession.SessionOptions,
  quantizesActivations: boolean,
): Runtime {
  return {
    label,
    quantizesActivations,
    async load(bytes) {
      const session = await ort.InferenceSession.create(bytes, options);
      return {
        inputNames: session.inputNames,
        outputNames: session.outputNames,
        inputShapes: shapesOf(session.inputMetadata),
        outputShapes: shapesOf(session.outputMetadata),
        async run(feeds) {
          const tensors: Record<string, ortNode.Tensor> = {};
          for (const [name, feed] of Object.entries(feeds)) {
            tensors[name] = new ort.Tensor(feed.dtype, feed.data, feed.dims);
          }
          const outputs = await session.run(tensors);
          const results: Record<string, RunResult> = {};
          for (const [name, tensor] of Object.entries(outputs)) {
            results[name] = { data: tensor.data as Float32Array, dims: tensor.dims };
          }
          return results;
        },
      };
    },
  };
}

export const RUNTIMES: readonly Runtime[] = [
  runtime("onnxruntime-node (default options)", ortNode, {}, true),
  runtime("onnxruntime-node (parity options)", ortNode, NATIVE_PARITY_SESSION_OPTIONS, false),
  // Both packages share onnxruntime-common's API; only the backend behind it differs.
  runtime("onnxruntime-web (wasm, Node build)", ortWeb as unknown as Ort, {}, false),
];

/** The largest |a[i] − b[i]|. */
export function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) {
    throw new RangeError(`lengths differ: ${a.length} vs ${b.length}`);
  }
  let max = 0;
  for (let i = 0; i < a.length; i++) {
    max = Math.max(max, Math.abs(a[i]! - b[i]!));
  }
  return max;
}

/** Indices where |actual − expected| exceeds its own bound; empty when every element is within bound. */
export function outOfBound(actual: Float32Array, expected: Float32Array, bound: Float32Array): number[] {
  const bad: number[] = [];
  for (let i = 0; i < actual.length; i++) {
    if (!(Math.abs(actual[i]! - expected[i]!) <= bound[i]!)) {
      bad.push(i);
    }
  }
  return bad;
}

/**
 * A binary linear classifier over sparse (hashed) features: each row is K (index, value) pairs, and
 *   probabilities[r] = sigmoid(b + Σₖ w[indices[r, k]] · values[r, k])            [N, 1]
 * computed as Gather(w, indices) → Mul(values) → ReduceSum(axis 1) → Add(b) → Sigmoid. It is an
 * EmbeddingBag of one-wide rows: the graph touches the K weights a text hits, never the whole table, so
 * a request feeds a few hundred numbers instead of a 2^16-wide float32 vector of zeros (256 KiB for the
 * default hash width, copied into ORT's memory on every call).
 *
 * Rows with fewer than K features are padded with index 0 and value 0, which adds w[0]·0 = 0. Indices must
 * lie in [0, inputDim): Gather refuses others, so the caller's hashing must mask into the table.
 *
 * int8 keeps the table as int8 with one per-tensor scale and dequantizes only the gathered K values
 * (Gather → DequantizeLinear), as the embedding scorer does. With one output there is one column, so this
 * is the same scale the dense graph's per-column quantization gives: both graphs compute the same numbers.
 */
import { GraphBuilder, serializeModel } from "./graph-builder.ts";
import type { BuildOptions, BuiltModel } from "./model-io.ts";
import { quantizePerTensor } from "./quantize.ts";

export interface SparseLinearClassifierOptions extends BuildOptions {
  /** One weight per feature index: [inputDim]. */
  weights: Float32Array;
  bias: number;
}

export const SPARSE_INDICES_INPUT = "feature_indices";
export const SPARSE_VALUES_INPUT = "feature_values";
export const SPARSE_CLASSIFIER_OUTPUT = "probabilities";

export function buildSparseLinearClassifier(options: SparseLinearClassifierOptions): BuiltModel {
  const { weights, quantize } = options;
  const inputDim = weights.length;
  if (inputDim < 1) {
    throw new RangeError("sparse linear classifier: needs at least one weight");
  }
  if (!Number.isFinite(options.bias)) {
    throw new RangeError(`sparse linear classifier: bias must be finite, got ${options.bias}`);
  }
  const graph = new GraphBuilder(options.name ?? "sparse-linear-classifier");
  const indices = graph.input(SPARSE_INDICES_INPUT, "int32", ["N", "K"]);
  const values = graph.input(SPARSE_VALUES_INPUT, "float32", ["N", "K"]);
  const gathered = "gathered_weights";
  if (quantize === "int8") {
    const q = quantizePerTensor(weights);
    const table = graph.int8("weights_int8", [inputDim], q.data);
    const scale = graph.float32("weights_scale", [], Float32Array.of(q.scale));
    graph.node("Gather", [table, indices], ["gathered_weights_int8"], { axis: { int: 0 } });
    graph.node("DequantizeLinear", ["gathered_weights_int8", scale], [gathered]);
  } else {
    const table = graph.float32("weights", [inputDim], weights);
    graph.node("Gather", [table, indices], [gathered], { axis: { int: 0 } });
  }
  graph.node("Mul", [gathered, values], ["terms"]);
  // Opset 13 takes ReduceSum's axes as an input tensor, not an attribute.
  const axes = graph.int64("sum_axes", [1], BigInt64Array.of(1n));
  graph.node("ReduceSum", ["terms", axes], ["dot"], { keepdims: { int: 1 } });
  const bias = graph.float32("bias", [1], Float32Array.of(options.bias));
  graph.node("Add", ["dot", bias], ["logit"]);
  graph.node("Sigmoid", ["logit"], [SPARSE_CLASSIFIER_OUTPUT]);
  graph.output(SPARSE_CLASSIFIER_OUTPUT, "float32", ["N", 1]);
  const bytes = serializeModel(graph, {
    name: options.name ?? "sparse-linear-classifier",
    version: options.version ?? "0",
    docString: `sparse linear classifier over ${inputDim} feature indices, sigmoid output, ${quantize}`,
  });
  return { kind: "sparse-linear-classifier", bytes, io: graph.io(), quantization: quantize };
}

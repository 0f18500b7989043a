/**
 * A linear classifier: features [N, D] → MatMul + Add → softmax (one label) or sigmoid (independent labels)
 * → probabilities [N, C]. For text and behaviour classifiers over a dense or hashed feature vector; hashing
 * happens before the model (models/ text hashing), so the graph only ever sees a fixed-width float vector.
 */
import { addDenseLayer, checkDenseLayer } from "./dense-layer.ts";
import { GraphBuilder, serializeModel } from "./graph-builder.ts";
import type { BuildOptions, BuiltModel } from "./model-io.ts";

export interface LinearClassifierOptions extends BuildOptions {
  /** [inputDim, classes] row-major. */
  weights: Float32Array;
  bias: Float32Array;
  inputDim: number;
  classes: number;
  /** "softmax": mutually exclusive classes; "sigmoid": multi-label. */
  output: "softmax" | "sigmoid";
}

export const CLASSIFIER_INPUT = "features";
export const CLASSIFIER_OUTPUT = "probabilities";

export function buildLinearClassifier(options: LinearClassifierOptions): BuiltModel {
  const { inputDim, classes, output, quantize } = options;
  const layer = { weights: options.weights, bias: options.bias, in: inputDim, out: classes };
  checkDenseLayer(layer, "linear classifier");
  const graph = new GraphBuilder(options.name ?? "linear-classifier");
  const features = graph.input(CLASSIFIER_INPUT, "float32", ["N", inputDim]);
  const logits = addDenseLayer(graph, "linear", features, layer, quantize);
  if (output === "softmax") {
    // axis=-1: opset 13 Softmax normalises along one axis only, which is the per-row distribution we want.
    graph.node("Softmax", [logits], [CLASSIFIER_OUTPUT], { axis: { int: -1 } });
  } else {
    graph.node("Sigmoid", [logits], [CLASSIFIER_OUTPUT]);
  }
  graph.output(CLASSIFIER_OUTPUT, "float32", ["N", classes]);
  const bytes = serializeModel(graph, {
    name: options.name ?? "linear-classifier",
    version: options.version ?? "0",
    docString: `linear classifier ${inputDim}→${classes}, ${output} output, ${quantize}`,
  });
  return { kind: "linear-classifier", bytes, io: graph.io(), quantization: quantize };
}

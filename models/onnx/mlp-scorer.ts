/**
 * An MLP scorer: features [N, D] → (MatMul + Add → Relu)* → MatMul + Add → sigmoid or identity → score [N, out].
 * Used for behaviour (probability) and ranking heads. N is symbolic so the edge scores 1 or 500 candidates with one session.
 */
import { addDenseLayer, checkDenseLayer, type DenseLayer } from "./dense-layer.ts";
import { GraphBuilder, serializeModel } from "./graph-builder.ts";
import type { BuildOptions, BuiltModel } from "./model-io.ts";

export interface MlpScorerOptions extends BuildOptions {
  /** Layers in order; each layer's `in` must equal the previous layer's `out`. */
  layers: DenseLayer[];
  /** Between hidden layers; only ReLU so far (it is what the trainers fit). */
  activation: "relu";
  /** "sigmoid" for probabilities (purchase, churn, CTR), "identity" for raw ranking scores. */
  output: "sigmoid" | "identity";
}

export const MLP_INPUT = "features";
export const MLP_OUTPUT = "score";

export function checkMlpLayers(layers: readonly DenseLayer[]): void {
  if (layers.length === 0) {
    throw new RangeError("an MLP needs at least one layer");
  }
  layers.forEach((layer, i) => {
    checkDenseLayer(layer, `layer ${i}`);
    const previous = layers[i - 1];
    if (previous && previous.out !== layer.in) {
      throw new RangeError(`layer ${i}: in = ${layer.in} but layer ${i - 1} has out = ${previous.out}`);
    }
  });
}

export function buildMlpScorer(options: MlpScorerOptions): BuiltModel {
  const { layers, output, quantize } = options;
  checkMlpLayers(layers);
  const inputDim = layers[0]!.in;
  const outputDim = layers[layers.length - 1]!.out;
  const graph = new GraphBuilder(options.name ?? "mlp-scorer");
  let x = graph.input(MLP_INPUT, "float32", ["N", inputDim]);
  layers.forEach((layer, i) => {
    x = addDenseLayer(graph, `layer${i}`, x, layer, quantize);
    if (i < layers.length - 1) {
      graph.node("Relu", [x], [`layer${i}.relu`]);
      x = `layer${i}.relu`;
    }
  });
  graph.node(output === "sigmoid" ? "Sigmoid" : "Identity", [x], [MLP_OUTPUT]);
  graph.output(MLP_OUTPUT, "float32", ["N", outputDim]);
  const bytes = serializeModel(graph, {
    name: options.name ?? "mlp-scorer",
    version: options.version ?? "0",
    docString: `MLP scorer ${[inputDim, ...layers.map((l) => l.out)].join("→")}, ${output} output, ${quantize}`,
  });
  return { kind: "mlp-scorer", bytes, io: graph.io(), quantization: quantize };
}

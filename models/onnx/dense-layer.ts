/**
 * The y = x·W + b block shared by the MLP scorer and the linear classifier, in float32 or int8.
 *
 * The int8 form keeps W as int8 with one float32 scale per output column and dequantizes it inside the graph
 * (DequantizeLinear, axis=1) right before MatMul. Activations stay float32: the point is a 4× smaller model in
 * KV and in isolate memory, not integer arithmetic, and DequantizeLinear → MatMul runs on every ORT build we
 * ship (ORT-web's wasm has no fused int8 kernels that would be faster anyway). The bias stays float32: it is
 * `out` numbers, too few to be worth its own quantization error.
 */
import type { GraphBuilder } from "./graph-builder.ts";
import type { Quantization } from "./model-io.ts";
import { quantizePerColumn } from "./quantize.ts";

/** One fully-connected layer: `weights` is [inDim, outDim] row-major (ONNX MatMul's layout), `bias` is [outDim]. */
export interface DenseLayer {
  weights: Float32Array;
  bias: Float32Array;
  in: number;
  out: number;
}

export function checkDenseLayer(layer: DenseLayer, label: string): void {
  if (!Number.isInteger(layer.in) || !Number.isInteger(layer.out) || layer.in < 1 || layer.out < 1) {
    throw new RangeError(`${label}: in and out must be positive integers, got ${layer.in} and ${layer.out}`);
  }
  if (layer.weights.length !== layer.in * layer.out) {
    throw new RangeError(
      `${label}: weights need ${layer.in}×${layer.out} values, got ${layer.weights.length}`,
    );
  }
  if (layer.bias.length !== layer.out) {
    throw new RangeError(`${label}: bias needs ${layer.out} values, got ${layer.bias.length}`);
  }
}

/** Appends MatMul(x, W) + b to the graph and returns the name of the [N, out] result. */
export function addDenseLayer(
  graph: GraphBuilder,
  prefix: string,
  x: string,
  layer: DenseLayer,
  quantization: Quantization,
): string {
  let weights: string;
  if (quantization === "int8") {
    const q = quantizePerColumn(layer.weights, layer.in, layer.out);
    const data = graph.int8(`${prefix}.weight_int8`, [layer.in, layer.out], q.data);
    const scales = graph.float32(`${prefix}.weight_scale`, [layer.out], q.scales);
    weights = `${prefix}.weight`;
    graph.node("DequantizeLinear", [data, scales], [weights], { axis: { int: 1 } });
  } else {
    weights = graph.float32(`${prefix}.weight`, [layer.in, layer.out], layer.weights);
  }
  const bias = graph.float32(`${prefix}.bias`, [layer.out], layer.bias);
  graph.node("MatMul", [x, weights], [`${prefix}.matmul`]);
  graph.node("Add", [`${prefix}.matmul`, bias], [`${prefix}.out`]);
  return `${prefix}.out`;
}

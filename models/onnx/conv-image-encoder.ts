/**
 * A small convolutional image encoder as an ONNX graph: Conv → Relu blocks, GlobalAveragePool, Flatten and a
 * dense projection, the shape of an ImageNet CNN's trunk in miniature. The origin runs operator-supplied
 * image encoders (IMAGE_ENCODER_MODEL); this builder writes one with known weights, so the encoder path is
 * tested against a TypeScript forward pass (conv-reference.ts) without downloading anything.
 *
 * The graph works in NCHW, as ONNX Conv does; with `layout: "NHWC"` its input is [N, H, W, C] and a Transpose
 * comes first, as in models exported from TensorFlow.
 */
import { addDenseLayer, checkDenseLayer, type DenseLayer } from "./dense-layer.ts";
import { GraphBuilder, serializeModel } from "./graph-builder.ts";
import type { ModelIo } from "./model-io.ts";

export const IMAGE_ENCODER_INPUT = "pixels";
export const IMAGE_ENCODER_OUTPUT = "embedding";

/** One square convolution: `weights` is [out, in, kernel, kernel] (ONNX Conv's layout), `bias` is [out]. */
export interface ConvLayer {
  in: number;
  out: number;
  kernel: number;
  stride: number;
  /** zero padding on every side */
  pad: number;
  weights: Float32Array;
  bias: Float32Array;
}

export interface ConvImageEncoderOptions {
  /** input height and width */
  size: number;
  layout: "NCHW" | "NHWC";
  /** each followed by Relu */
  convs: readonly ConvLayer[];
  /** applied to the pooled features; its `in` is the last conv's `out` */
  projection: DenseLayer;
  version?: string;
}

export function checkConvLayers(options: ConvImageEncoderOptions): void {
  let channels = 3;
  options.convs.forEach((conv, l) => {
    const label = `conv ${l}`;
    if (conv.in !== channels) {
      throw new RangeError(`${label}: takes ${conv.in} channels but receives ${channels}`);
    }
    if (
      conv.weights.length !== conv.out * conv.in * conv.kernel * conv.kernel ||
      conv.bias.length !== conv.out
    ) {
      throw new RangeError(
        `${label}: weights or bias do not match [${conv.out}, ${conv.in}, ${conv.kernel}, ${conv.kernel}]`,
      );
    }
    if (conv.stride < 1 || conv.pad < 0 || conv.kernel < 1) {
      throw new RangeError(`${label}: kernel, stride and pad must be positive (pad may be 0)`);
    }
    channels = conv.out;
  });
  if (options.projection.in !== channels) {
    throw new RangeError(`projection takes ${options.projection.in} features but the convs give ${channels}`);
  }
  checkDenseLayer(options.projection, "projection");
}

/** The serialized model and its I/O: input `pixels` [N, 3, size, size] (or NHWC), output `embedding` [N, D]. */
export function buildConvImageEncoder(options: ConvImageEncoderOptions): { bytes: Uint8Array; io: ModelIo } {
  checkConvLayers(options);
  const graph = new GraphBuilder("conv_image_encoder");
  const inputShape =
    options.layout === "NCHW" ? ["N", 3, options.size, options.size] : ["N", options.size, options.size, 3];
  let x = graph.input(IMAGE_ENCODER_INPUT, "float32", inputShape);
  if (options.layout === "NHWC") {
    graph.node("Transpose", [x], ["nchw"], { perm: { ints: [0, 3, 1, 2] } });
    x = "nchw";
  }
  options.convs.forEach((conv, l) => {
    const w = graph.float32(`conv${l}.weight`, [conv.out, conv.in, conv.kernel, conv.kernel], conv.weights);
    const b = graph.float32(`conv${l}.bias`, [conv.out], conv.bias);
    graph.node("Conv", [x, w, b], [`conv${l}.out`], {
      kernel_shape: { ints: [conv.kernel, conv.kernel] },
      strides: { ints: [conv.stride, conv.stride] },
      pads: { ints: [conv.pad, conv.pad, conv.pad, conv.pad] },
    });
    graph.node("Relu", [`conv${l}.out`], [`relu${l}.out`]);
    x = `relu${l}.out`;
  });
  graph.node("GlobalAveragePool", [x], ["pooled"]);
  graph.node("Flatten", ["pooled"], ["features"], { axis: { int: 1 } });
  const projected = addDenseLayer(graph, "projection", "features", options.projection, "float32");
  graph.node("Identity", [projected], [IMAGE_ENCODER_OUTPUT]);
  graph.output(IMAGE_ENCODER_OUTPUT, "float32", ["N", options.projection.out]);
  return {
    bytes: serializeModel(graph, { name: "conv-image-encoder", version: options.version ?? "test" }),
    io: graph.io(),
  };
}

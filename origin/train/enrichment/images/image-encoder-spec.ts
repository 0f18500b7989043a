/** How the operator's encoder wants its pixels: the preprocessing its training used. */
export interface ImageEncoderSpec {
  /** the ONNX file (an ImageNet CNN, a CLIP image tower, …) */
  modelPath: string;
  /** square input side, in pixels: the image is resized to cover it and centre-cropped */
  size: number;
  /** per-channel (R, G, B) mean and standard deviation of pixels scaled to [0, 1] */
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  /** the model input's layout: [N, 3, H, W] or [N, H, W, 3] */
  layout: "NCHW" | "NHWC";
}

/** Turns images into fixed-width vectors; one vector per image, in order. */
export interface ImageEncoder {
  name: string;
  encode(images: readonly Uint8Array[]): Promise<Float32Array[]>;
}

/**
 * An encoder whose model (and sharp and onnxruntime-node with it) loads on the first `encode`, so a
 * configuration that names one costs nothing until a run has images to encode.
 */
export function lazyImageEncoder(spec: ImageEncoderSpec): ImageEncoder {
  let loaded: Promise<ImageEncoder> | undefined;
  return {
    name: `onnx:${spec.modelPath}`,
    async encode(images) {
      loaded ??= import("./onnx-image-encoder.ts").then(({ loadOnnxImageEncoder }) =>
        loadOnnxImageEncoder(spec),
      );
      return (await loaded).encode(images);
    },
  };
}

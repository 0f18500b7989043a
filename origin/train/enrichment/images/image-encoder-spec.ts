import { statSync } from "node:fs";

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
  /**
   * Names the model and preprocessing exactly (file size and modification time included), so embeddings
   * kept between runs are reused only for the same encoder; absent, they are never kept.
   */
  cacheKey?: string;
  encode(images: readonly Uint8Array[]): Promise<Float32Array[]>;
}

/**
 * An encoder whose model (and sharp and onnxruntime-node with it) loads on the first `encode`, so a
 * configuration that names one costs nothing until a run has images to encode.
 */
export function lazyImageEncoder(spec: ImageEncoderSpec): ImageEncoder {
  let loaded: Promise<ImageEncoder> | undefined;
  let file: { size: number; mtimeMs: number } | undefined;
  try {
    file = statSync(spec.modelPath);
  } catch {
    // a missing model fails on first use, where the run reports it; its embeddings are not kept
  }
  return {
    name: `onnx:${spec.modelPath}`,
    ...(file ? { cacheKey: JSON.stringify({ ...spec, size: file.size, mtimeMs: file.mtimeMs }) } : {}),
    async encode(images) {
      loaded ??= import("./onnx-image-encoder.ts").then(({ loadOnnxImageEncoder }) =>
        loadOnnxImageEncoder(spec),
      );
      return (await loaded).encode(images);
    },
  };
}

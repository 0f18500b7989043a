import { readFile } from "node:fs/promises";
import type { InferenceSession } from "onnxruntime-node";
import sharp from "sharp";
import { loadOnnxRuntimeNode } from "../onnx-runtime.ts";
import { ImageDecodeError } from "./describe-image.ts";
import type { ImageEncoder, ImageEncoderSpec } from "./image-encoder-spec.ts";

/**
 * One image as the encoder's input tensor data ([3 × size × size] or [size × size × 3], float32): decoded
 * by sharp, EXIF-oriented, flattened over white, resized to cover size² and centre-cropped, then each
 * channel scaled to [0, 1] and standardised with the spec's mean and std.
 */
export async function preprocessForEncoder(bytes: Uint8Array, spec: ImageEncoderSpec): Promise<Float32Array> {
  let rgb: Buffer;
  try {
    rgb = await sharp(bytes, { limitInputPixels: 40_000_000, failOn: "error" })
      .rotate()
      .flatten({ background: "#ffffff" })
      .resize(spec.size, spec.size, { fit: "cover", position: "centre" })
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer();
  } catch (error) {
    throw new ImageDecodeError(`cannot decode image for the encoder: ${(error as Error).message}`);
  }
  const pixels = spec.size * spec.size;
  const out = new Float32Array(pixels * 3);
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) {
      const value = (rgb[p * 3 + c]! / 255 - spec.mean[c]!) / spec.std[c]!;
      out[spec.layout === "NCHW" ? c * pixels + p : p * 3 + c] = value;
    }
  }
  return out;
}

/**
 * The operator's ONNX image encoder run by onnxruntime-node at the origin: the model's first input gets the
 * preprocessed batch, its first output is read as one row per image (an [N, D] or [N, D, 1, 1] tensor both
 * flatten to D per image). `modelBytes` replaces reading `spec.modelPath` (tests).
 */
export async function loadOnnxImageEncoder(
  spec: ImageEncoderSpec,
  modelBytes?: Uint8Array,
): Promise<ImageEncoder> {
  // loaded on demand: a run without an encoder never pays for ORT's native library
  const ort = await loadOnnxRuntimeNode("IMAGE_ENCODER_MODEL");
  const bytes = modelBytes ?? new Uint8Array(await readFile(spec.modelPath));
  const session: InferenceSession = await ort.InferenceSession.create(bytes);
  const inputName = session.inputNames[0]!;
  const outputName = session.outputNames[0]!;
  const perImage = 3 * spec.size * spec.size;
  const shape = (n: number) =>
    spec.layout === "NCHW" ? [n, 3, spec.size, spec.size] : [n, spec.size, spec.size, 3];
  return {
    name: `onnx:${spec.modelPath}`,
    async encode(images) {
      if (images.length === 0) {
        return [];
      }
      const batch = new Float32Array(images.length * perImage);
      for (const [i, image] of images.entries()) {
        batch.set(await preprocessForEncoder(image, spec), i * perImage);
      }
      const result = await session.run({
        [inputName]: new ort.Tensor("float32", batch, shape(images.length)),
      });
      const data = result[outputName]!.data as Float32Array;
      const dim = data.length / images.length;
      return images.map((_, i) => data.slice(i * dim, (i + 1) * dim));
    },
  };
}

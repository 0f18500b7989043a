import type { OriginConfig } from "../../../config.ts";
import { requireOnnxRuntimeNode } from "../onnx-runtime.ts";
import { DEFAULT_IMAGE_FETCH_POLICY, type ImageFetchPolicy } from "./fetch-image.ts";
import type { ImageEncoderSpec } from "./image-encoder-spec.ts";

/** The image fetch policy the origin's configuration sets (IMAGE_FETCH_* and IMAGE_FILE_ROOT). */
export function imageFetchPolicy(
  config: Pick<
    OriginConfig,
    "IMAGE_FETCH_MAX_BYTES" | "IMAGE_FETCH_TIMEOUT_SECONDS" | "IMAGE_FETCH_ALLOW_PRIVATE" | "IMAGE_FILE_ROOT"
  >,
): ImageFetchPolicy {
  return {
    ...DEFAULT_IMAGE_FETCH_POLICY,
    maxBytes: config.IMAGE_FETCH_MAX_BYTES,
    timeoutMs: Math.round(config.IMAGE_FETCH_TIMEOUT_SECONDS * 1000),
    allowPrivateNetworks: config.IMAGE_FETCH_ALLOW_PRIVATE,
    ...(config.IMAGE_FILE_ROOT === undefined ? {} : { fileRoot: config.IMAGE_FILE_ROOT }),
  };
}

/** The image encoder IMAGE_ENCODER_* describe, or undefined without IMAGE_ENCODER_MODEL. */
export function imageEncoderSpec(
  config: Pick<
    OriginConfig,
    | "IMAGE_ENCODER_MODEL"
    | "IMAGE_ENCODER_SIZE"
    | "IMAGE_ENCODER_MEAN"
    | "IMAGE_ENCODER_STD"
    | "IMAGE_ENCODER_LAYOUT"
  >,
): ImageEncoderSpec | undefined {
  if (config.IMAGE_ENCODER_MODEL === undefined) {
    return undefined;
  }
  requireOnnxRuntimeNode("IMAGE_ENCODER_MODEL");
  return {
    modelPath: config.IMAGE_ENCODER_MODEL,
    size: config.IMAGE_ENCODER_SIZE,
    mean: config.IMAGE_ENCODER_MEAN,
    std: config.IMAGE_ENCODER_STD,
    layout: config.IMAGE_ENCODER_LAYOUT,
  };
}

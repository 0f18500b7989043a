import type { OriginConfig } from "../../../config.ts";
import { requireOnnxRuntimeNode } from "../onnx-runtime.ts";
import type { TextEncoder } from "../text-encoder/onnx-text-encoder.ts";
import { lazyTextEncoder, textEncoderSpec } from "../text-encoder/text-encoder-config.ts";
import { DEFAULT_IMAGE_FETCH_POLICY, type ImageFetchPolicy } from "./fetch-image.ts";
import { fileImageCache } from "./image-cache.ts";
import { type ImageEncoderSpec, lazyImageEncoder } from "./image-encoder-spec.ts";
import type { ImageFeatureOptions } from "./image-features.ts";

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

/**
 * The training pipeline's content options from the configuration: `images` unless IMAGE_FEATURES is off
 * (with the image cache in IMAGE_CACHE_DIR unless IMAGE_CACHE is off), `textEncoder` when
 * TEXT_ENCODER_MODEL is set, and the content vectors' width (CONTENT_VECTOR_DIM).
 */
export function imageFeaturesOption(
  config: Parameters<typeof imageFetchPolicy>[0] &
    Parameters<typeof imageEncoderSpec>[0] &
    Parameters<typeof textEncoderSpec>[0] &
    Pick<
      OriginConfig,
      | "IMAGE_FEATURES"
      | "CONTENT_VECTOR_DIM"
      | "IMAGE_CACHE"
      | "IMAGE_CACHE_DIR"
      | "IMAGE_CACHE_MAX_AGE_SECONDS"
    >,
): { images?: ImageFeatureOptions; textEncoder?: TextEncoder; content: { tableDim: number } } {
  const text = textEncoderSpec(config);
  const shared = {
    ...(text ? { textEncoder: lazyTextEncoder(text) } : {}),
    content: { tableDim: config.CONTENT_VECTOR_DIM },
  };
  if (!config.IMAGE_FEATURES) {
    return shared;
  }
  const spec = imageEncoderSpec(config);
  return {
    images: {
      policy: imageFetchPolicy(config),
      ...(spec ? { encoder: lazyImageEncoder(spec) } : {}),
      ...(config.IMAGE_CACHE ? { store: fileImageCache(config.IMAGE_CACHE_DIR) } : {}),
      maxAgeSeconds: config.IMAGE_CACHE_MAX_AGE_SECONDS,
    },
    ...shared,
  };
}

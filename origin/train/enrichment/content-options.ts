import type { OriginConfig } from "../../config.ts";
import {
  fileImageCache,
  type ImageFeatureOptions,
  imageEncoderSpec,
  imageFetchPolicy,
  lazyImageEncoder,
} from "./images/index.ts";
import { lazyTextEncoder, type TextEncoder, textEncoderSpec } from "./text-encoder/index.ts";

/**
 * The training pipeline's content options from the configuration: `images` unless IMAGE_FEATURES is off
 * (with the image cache in IMAGE_CACHE_DIR unless IMAGE_CACHE is off), `textEncoder` when
 * TEXT_ENCODER_MODEL is set, and the content vectors' width (CONTENT_VECTOR_DIM).
 */
export function contentOptions(
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

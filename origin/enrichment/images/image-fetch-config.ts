import type { OriginConfig } from "../../config.ts";
import { DEFAULT_IMAGE_FETCH_POLICY, type ImageFetchPolicy } from "./fetch-image.ts";
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

/** The training pipeline's `images` option from the configuration: `{}` when IMAGE_FEATURES is off. */
export function imageFeaturesOption(
  config: Parameters<typeof imageFetchPolicy>[0] & Pick<OriginConfig, "IMAGE_FEATURES">,
): { images?: ImageFeatureOptions } {
  return config.IMAGE_FEATURES ? { images: { policy: imageFetchPolicy(config) } } : {};
}

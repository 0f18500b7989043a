export { COLOUR_HISTOGRAM_BINS, labHistogram } from "./colour-histogram.ts";
export {
  DESCRIBE_SIZE,
  decodeForDescriptors,
  describeImage,
  describePixels,
  descriptorVector,
  IMAGE_DESCRIPTOR_DIM,
  ImageDecodeError,
  type ImageDescriptors,
} from "./describe-image.ts";
export { contentHash, ImageDescriptorCache } from "./descriptor-cache.ts";
export { type DominantColours, dominantColours } from "./dominant-colours.ts";
export { edgeTexture, TEXTURE_DIM } from "./edge-texture.ts";
export {
  type ConditionalImage,
  DEFAULT_IMAGE_FETCH_POLICY,
  type FetchedImage,
  fetchImage,
  fetchImageIfChanged,
  ImageFetchError,
  type ImageFetchFailure,
  type ImageFetchPolicy,
} from "./fetch-image.ts";
export {
  type CachedDescription,
  type CachedUrl,
  fileImageCache,
  type ImageCacheStore,
} from "./image-cache.ts";
export { type ImageEncoder, type ImageEncoderSpec, lazyImageEncoder } from "./image-encoder-spec.ts";
export {
  DEFAULT_IMAGE_MAX_AGE_SECONDS,
  ENCODER_WEIGHT,
  extractImageFeatures,
  type ImageFailure,
  type ImageFeatureOptions,
  type ImageFeatureReport,
  type ImageFeatures,
  type ImageVectorPart,
} from "./image-features.ts";
export { imageEncoderSpec, imageFetchPolicy } from "./image-fetch-config.ts";
export { rgbToLab } from "./lab-colour.ts";
export { loadOnnxImageEncoder, preprocessForEncoder } from "./onnx-image-encoder.ts";
export { hammingDistance, PHASH_SIZE, perceptualHash } from "./perceptual-hash.ts";
export { isPrivateAddress } from "./private-addresses.ts";

export {
  PRODUCT_IMAGE_CATEGORIES,
  type ProductImageFormat,
  productImageSvg,
  renderProductImage,
  SAMPLE_IMAGE_HOST,
  SAMPLE_IMAGE_SIZE,
  sampleImageFetch,
  sampleImageUrl,
} from "./product-images.ts";
export { reviewText } from "./review-text.ts";
export { type SyntheticUserOptions, syntheticUserFeatures } from "./synthetic-user-features.ts";
export {
  generateTasteClusterData,
  SAMPLE_CATEGORIES,
  type TasteClusterData,
  type TasteClusterOptions,
} from "./taste-clusters.ts";

export { reviewText } from "./review-text.ts";
export {
  generateTasteClusterData,
  SAMPLE_CATEGORIES,
  type TasteClusterData,
  type TasteClusterOptions,
} from "./taste-clusters.ts";

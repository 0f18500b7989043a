export {
  type ContentToFactors,
  fitContentToFactors,
  fitContentToFactorsTuned,
  predictFactors,
} from "./content-to-factors.ts";
export {
  type EnrichmentOptions,
  enrichItems,
  type ItemEnrichment,
  LAMBDA_GRID,
  textContentExtractor,
} from "./enrich-items.ts";
// What the other flows and the doors use of image features: fetching (the sample shop answers its own
// image host) and the configuration's options.
export {
  type FetchedImage,
  fetchImage,
  ImageFetchError,
  type ImageFetchPolicy,
  imageFeaturesOption,
} from "./images/index.ts";
export type { ItemContent, ItemFeatureExtractor } from "./item-content.ts";
export { aggregateReviewSentiment, type ItemSentiment, type TextScorer } from "./review-sentiment.ts";
export { ENGLISH_STOPWORDS } from "./stopwords.ts";
export { contentTerms, fitTfidf, type TfidfModel, type TfidfOptions, tfidfRows, topTerms } from "./tfidf.ts";

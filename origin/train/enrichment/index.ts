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
export type { ItemContent, ItemFeatureExtractor } from "./item-content.ts";
export { aggregateReviewSentiment, type ItemSentiment, type TextScorer } from "./review-sentiment.ts";
export { ENGLISH_STOPWORDS } from "./stopwords.ts";
export { contentTerms, fitTfidf, type TfidfModel, type TfidfOptions, tfidfRows, topTerms } from "./tfidf.ts";

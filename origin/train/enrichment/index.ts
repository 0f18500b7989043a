export { contentOptions } from "./content-options.ts";
export {
  CONTENT_PART_NAMES,
  type ContentSources,
  type ContentVectorOptions,
  computeContentVectors,
  describeContentVectors,
  type ItemContentResult,
  type ItemContentVectors,
  type ItemEvents,
  itemContentVectors,
} from "./content-vectors/index.ts";
export { type EnrichmentOptions, enrichItems, type ItemEnrichment } from "./enrich-items.ts";
// What the other flows and the doors use of image features: fetching (the sample shop answers its own
// image host) and the configuration's options.
export {
  type FetchedImage,
  fetchImage,
  ImageFetchError,
  type ImageFetchPolicy,
} from "./images/index.ts";
export type { ItemContent } from "./item-content.ts";
export { aggregateReviewSentiment, type ItemSentiment, type TextScorer } from "./review-sentiment.ts";
export { ENGLISH_STOPWORDS } from "./stopwords.ts";
export { contentTerms, fitTfidf, type TfidfModel, type TfidfOptions, tfidfRows, topTerms } from "./tfidf.ts";

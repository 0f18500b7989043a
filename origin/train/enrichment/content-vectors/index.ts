export {
  COLD_START_DEFAULTS,
  type ColdStartMap,
  type ColdStartOptions,
  fitColdStartMap,
  type RecommenderFactors,
} from "./cold-start-map.ts";
export { CONTENT_PART_NAMES, type ContentPartOptions, contentBlocks } from "./content-parts.ts";
export {
  CONTENT_VECTOR_DEFAULTS,
  type ContentVectorOptions,
  computeContentVectors,
  describeContentVectors,
  type ItemContentVectors,
  type ItemEvents,
} from "./content-vectors.ts";
export { type ContentSources, type ItemContentResult, itemContentVectors } from "./item-content-vectors.ts";
export { applyRidgeMap, ridgeStatistics, solveRidgeMap, type VectorBlock } from "./ridge-map.ts";
export { denseOperator, lsaVectors, sparseOperator, truncatedSvd } from "./truncated-svd.ts";

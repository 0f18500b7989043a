export {
  CONFIDENCE_KINDS,
  type ConfidenceKind,
  type PairData,
  pairData,
  selectUsers,
  splitPairs,
  type WeightedEvents,
  withConfidence,
} from "./confidence.ts";
export {
  buildCsr,
  type CsrMatrix,
  columnCounts,
  type InteractionColumns,
  rowIndices,
  transposeCsr,
} from "./csr.ts";
export {
  EASE_DEFAULTS,
  type EaseModel,
  type EaseOptions,
  scoreEase,
  selectHeadItems,
  trainEase,
} from "./ease.ts";
export { EASE_FACTOR_DEFAULTS, factoriseEase } from "./ease-factors.ts";
export { IALS_DEFAULTS, type IalsOptions, type MfModel, scoreMf, trainIals } from "./ials.ts";
export {
  easeMatrixScorer,
  easeScoresWithOnnx,
  exportEase,
  exportMf,
  matrixScorer,
  mfScoresWithOnnx,
} from "./onnx-recs.ts";
export { type TrendingOptions, trainPopularity, trainTrending } from "./popularity.ts";
export {
  easeScorer,
  evaluateRecommender,
  mfScorer,
  popularityScorer,
  recommendAll,
  type UserScorer,
} from "./recommender.ts";
export {
  describeCandidate,
  fitCandidate,
  RECS_DEFAULTS,
  type RecsCandidate,
  type RecsConfig,
  type RecsTrial,
  type SelectedRecommender,
  selectRecommender,
} from "./select-recommender.ts";
export { servedScorer } from "./served-scorer.ts";
export { type InteractionSplit, splitPerUser } from "./split.ts";
export { topK } from "./top-k.ts";
export {
  RECS_EVALUATION_DEFAULTS,
  type RecsEvaluation,
  type RecsEvaluationOptions,
  type RecsModelReport,
  trainAndEvaluateRecs,
} from "./train-and-evaluate.ts";
export { type TuningOptions, type TuningResult, type TuningTrial, tuneOnInnerSplit } from "./tune.ts";

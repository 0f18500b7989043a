export type { ClassificationMetrics } from "./classification-metrics.ts";
export { accuracy, evaluateClassifier, f1Score, logLoss, rocAuc } from "./classification-metrics.ts";
export type { RankingMetrics } from "./ranking-metrics.ts";
export {
  averagePrecisionAtK,
  catalogCoverage,
  evaluateRanking,
  ndcgAtK,
  precisionAtK,
  recallAtK,
} from "./ranking-metrics.ts";

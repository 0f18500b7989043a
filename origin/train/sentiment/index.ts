export {
  fitLexiconBaseline,
  fitThreshold,
  type LexiconBaseline,
  lexiconScores,
  predictLexiconBaseline,
} from "./lexicon-baseline.ts";
export { exportSentimentModel, predictSentimentWithOnnx, sentimentReleaseModel } from "./onnx-sentiment.ts";
export {
  evaluateSentiment,
  type LabelledTextSet,
  type SentimentEvaluation,
  type SentimentTestResult,
  type ThresholdMetrics,
  thresholdMetrics,
  trainAndEvaluateSentiment,
} from "./train-and-evaluate.ts";
export {
  predictSentiment,
  SENTIMENT_DEFAULTS,
  type SentimentModel,
  type SentimentTrainingOptions,
  trainSentiment,
} from "./train-sentiment.ts";

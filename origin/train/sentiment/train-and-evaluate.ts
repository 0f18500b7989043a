import { type ClassificationMetrics, evaluateClassifier, rocAuc } from "../evaluation/index.ts";
import type { ClassifierTrial } from "../linear/index.ts";
import {
  fitLexiconBaseline,
  type LexiconBaseline,
  predictLexiconBaseline,
  thresholdPredictions,
} from "./lexicon-baseline.ts";
import { exportSentimentModel, predictSentimentWithOnnx } from "./onnx-sentiment.ts";
import { type SentimentModel, type SentimentTrainingOptions, trainSentiment } from "./train-sentiment.ts";

export interface LabelledTextSet {
  texts: readonly string[];
  labels: Uint8Array;
}

/** A rule-based score's metrics at its fitted threshold; log-loss is NaN (hard 0/1 predictions). */
export type ThresholdMetrics = ClassificationMetrics & { threshold: number };

/** The model and the lexicon on one test set. */
export interface SentimentTestResult {
  lexicon: ThresholdMetrics;
  /** onnxruntime-web on the float32 export */
  float32: ClassificationMetrics;
  /** onnxruntime-web on the int8 export */
  int8: ClassificationMetrics;
}

export interface SentimentEvaluation extends SentimentTestResult {
  trainSeconds: number;
  trials: ClassifierTrial[];
  model: SentimentModel;
  baseline: LexiconBaseline;
  modelBytes: { float32: number; int8: number };
}

/** Metrics of a thresholded rule-based score; its ROC-AUC ranks by the raw score. */
export function thresholdMetrics(
  labels: Uint8Array,
  scores: Float32Array,
  baseline: LexiconBaseline,
): ThresholdMetrics {
  return {
    ...evaluateClassifier(labels, thresholdPredictions(baseline, scores)),
    rocAuc: rocAuc(labels, scores),
    logLoss: Number.NaN,
    threshold: baseline.threshold,
  };
}

/** Scores `test` with a trained model (through onnxruntime-web, float32 and int8) and with the lexicon. */
export async function evaluateSentiment(
  trained: { model: SentimentModel; baseline: LexiconBaseline },
  test: LabelledTextSet,
): Promise<SentimentTestResult> {
  const { model } = trained;
  return {
    lexicon: thresholdMetrics(
      test.labels,
      predictLexiconBaseline(trained.baseline, test.texts).scores,
      trained.baseline,
    ),
    float32: evaluateClassifier(
      test.labels,
      await predictSentimentWithOnnx(exportSentimentModel(model, "float32"), model, test.texts),
    ),
    int8: evaluateClassifier(
      test.labels,
      await predictSentimentWithOnnx(exportSentimentModel(model, "int8"), model, test.texts),
    ),
  };
}

/**
 * Trains the sentiment classifier on `train` (its options chosen on an inner split of it), fits the
 * lexicon baseline's threshold on `train`, and scores `test` with both; the classifier is exported and run
 * through onnxruntime-web in float32 and int8. Shared by `bench:quality` and `edgewise eval sentiment`.
 */
export async function trainAndEvaluateSentiment(
  train: LabelledTextSet,
  test: LabelledTextSet,
  options: SentimentTrainingOptions = {},
): Promise<SentimentEvaluation> {
  const baseline = fitLexiconBaseline(train.texts, train.labels);
  const started = performance.now();
  const { model, trials } = trainSentiment(train.texts, train.labels, options);
  const trainSeconds = (performance.now() - started) / 1000;
  return {
    ...(await evaluateSentiment({ model, baseline }, test)),
    trainSeconds,
    trials,
    model,
    baseline,
    modelBytes: {
      float32: exportSentimentModel(model, "float32").bytes.length,
      int8: exportSentimentModel(model, "int8").bytes.length,
    },
  };
}

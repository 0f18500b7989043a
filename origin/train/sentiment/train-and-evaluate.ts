import { type ClassificationMetrics, evaluateClassifier, rocAuc } from "../evaluation/index.ts";
import type { ClassifierTrial } from "../linear/index.ts";
import { fitLexiconBaseline, type LexiconBaseline, predictLexiconBaseline } from "./lexicon-baseline.ts";
import { exportSentimentModel, predictSentimentWithOnnx } from "./onnx-sentiment.ts";
import { type SentimentModel, type SentimentTrainingOptions, trainSentiment } from "./train-sentiment.ts";

export interface LabelledTextSet {
  texts: readonly string[];
  labels: Uint8Array;
}

export interface SentimentEvaluation {
  lexicon: ClassificationMetrics & { threshold: number };
  /** onnxruntime-web on the float32 export */
  float32: ClassificationMetrics;
  /** onnxruntime-web on the int8 export */
  int8: ClassificationMetrics;
  trainSeconds: number;
  trials: ClassifierTrial[];
  model: SentimentModel;
  baseline: LexiconBaseline;
  modelBytes: { float32: number; int8: number };
}

/**
 * Trains the sentiment classifier on `train` (L2 tuned on an inner split of it), fits the lexicon baseline's
 * threshold on `train`, and scores `test` with both; the classifier is exported and run through
 * onnxruntime-web in float32 and int8. The lexicon's log-loss is not meaningful (hard 0/1 predictions) and
 * is reported as NaN. Shared by `bench:quality` and `edgewise eval sentiment`.
 */
export async function trainAndEvaluateSentiment(
  train: LabelledTextSet,
  test: LabelledTextSet,
  options: SentimentTrainingOptions = {},
): Promise<SentimentEvaluation> {
  const baseline = fitLexiconBaseline(train.texts, train.labels);
  const lexicon = predictLexiconBaseline(baseline, test.texts);
  const started = performance.now();
  const { model, trials } = trainSentiment(train.texts, train.labels, options);
  const trainSeconds = (performance.now() - started) / 1000;
  const f32Model = exportSentimentModel(model, "float32");
  const i8Model = exportSentimentModel(model, "int8");
  return {
    lexicon: {
      ...evaluateClassifier(test.labels, lexicon.predictions),
      rocAuc: rocAuc(test.labels, lexicon.scores),
      logLoss: Number.NaN,
      threshold: baseline.threshold,
    },
    float32: evaluateClassifier(test.labels, await predictSentimentWithOnnx(f32Model, model, test.texts)),
    int8: evaluateClassifier(test.labels, await predictSentimentWithOnnx(i8Model, model, test.texts)),
    trainSeconds,
    trials,
    model,
    baseline,
    modelBytes: { float32: f32Model.bytes.length, int8: i8Model.bytes.length },
  };
}

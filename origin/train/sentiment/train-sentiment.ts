import {
  DEFAULT_TEXT_FEATURES,
  extractTextFeatureRows,
  type TextFeatureSpec,
} from "../../../models/text/index.ts";
import {
  type ClassifierTrial,
  type LogisticModel,
  predictLogistic,
  trainLogisticWithValidation,
} from "../linear/index.ts";

/**
 * Sentiment classifier: hashed word / word-bigram / character n-gram features plus two AFINN lexicon
 * features (models/text, shared with the edge), into a logistic regression. L2 is chosen on an inner
 * validation split of the training texts. Label 1 = positive.
 */
export interface SentimentModel {
  spec: TextFeatureSpec;
  classifier: LogisticModel;
}

export interface SentimentTrainingOptions {
  spec?: TextFeatureSpec;
  /** L2 strengths tried on the inner validation split */
  l2Grid?: readonly number[];
  epochs?: number;
  seed?: number;
}

export const SENTIMENT_DEFAULTS = { l2Grid: [3e-4, 1e-3, 3e-3, 1e-2], epochs: 10, seed: 1 } as const;

export function trainSentiment(
  texts: readonly string[],
  labels: ArrayLike<number>,
  options: SentimentTrainingOptions = {},
): { model: SentimentModel; trials: ClassifierTrial[] } {
  const spec = options.spec ?? DEFAULT_TEXT_FEATURES;
  const epochs = options.epochs ?? SENTIMENT_DEFAULTS.epochs;
  const seed = options.seed ?? SENTIMENT_DEFAULTS.seed;
  const x = extractTextFeatureRows(texts, spec);
  const grid = options.l2Grid ?? SENTIMENT_DEFAULTS.l2Grid;
  const { model, trials } = trainLogisticWithValidation(
    x,
    labels,
    grid.map((l2) => ({ l2, epochs, seed })),
    { seed },
  );
  return { model: { spec, classifier: model }, trials };
}

/** P(positive) for each text, computed in TypeScript (the ONNX model computes the same from the same features). */
export function predictSentiment(model: SentimentModel, texts: readonly string[]): Float32Array {
  return predictLogistic(model.classifier, extractTextFeatureRows(texts, model.spec));
}

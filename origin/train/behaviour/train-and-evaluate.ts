import type { TabularRow } from "../../../models/features/index.ts";
import { type ClassificationMetrics, evaluateClassifier } from "../evaluation/index.ts";
import type { ClassifierTrial } from "../linear/index.ts";
import {
  type BehaviourModel,
  type BehaviourTrainingOptions,
  exportBehaviourModel,
  majorityClassBaseline,
  predictBehaviourWithOnnx,
  trainBehaviourModel,
} from "./behaviour-model.ts";

export interface LabelledRows {
  rows: readonly TabularRow[];
  labels: Uint8Array;
}

export interface BehaviourEvaluation {
  /** the baseline and the constant probability it predicts (the training positive rate) */
  majority: ClassificationMetrics & { probability: number };
  /** onnxruntime-web on the float32 export */
  float32: ClassificationMetrics;
  /** onnxruntime-web on the int8 export */
  int8: ClassificationMetrics;
  trainSeconds: number;
  trials: ClassifierTrial[];
  model: BehaviourModel;
}

/**
 * Trains the behaviour model on `train` (L2 tuned on an inner split of it) and scores `test` through
 * onnxruntime-web in float32 and int8, next to the majority-class baseline (the training positive rate as a
 * constant probability). Shared by `bench:quality` and `edgewise eval behaviour`.
 */
export async function trainAndEvaluateBehaviour(
  train: LabelledRows,
  test: LabelledRows,
  options: BehaviourTrainingOptions,
): Promise<BehaviourEvaluation> {
  const rate = majorityClassBaseline(train.labels);
  const majority = evaluateClassifier(test.labels, new Float32Array(test.labels.length).fill(rate));
  const started = performance.now();
  const { model, trials } = trainBehaviourModel(train.rows, train.labels, options);
  const trainSeconds = (performance.now() - started) / 1000;
  const f32 = await predictBehaviourWithOnnx(exportBehaviourModel(model, "float32"), model, test.rows);
  const i8 = await predictBehaviourWithOnnx(exportBehaviourModel(model, "int8"), model, test.rows);
  return {
    majority: { ...majority, probability: rate },
    float32: evaluateClassifier(test.labels, f32),
    int8: evaluateClassifier(test.labels, i8),
    trainSeconds,
    trials,
    model,
  };
}

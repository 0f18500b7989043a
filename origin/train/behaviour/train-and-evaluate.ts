import type { TabularRow } from "../../../models/features/index.ts";
import { type ClassificationMetrics, evaluateClassifier } from "../evaluation/index.ts";
import {
  type BehaviourModel,
  type BehaviourTrainingOptions,
  type BehaviourTrial,
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
  /** onnxruntime-web on the int8 export (int8 weights, or a tree model's leaf values on an int8 grid) */
  int8: ClassificationMetrics;
  trainSeconds: number;
  trials: BehaviourTrial[];
  model: BehaviourModel;
  modelBytes: { float32: number; int8: number };
}

/**
 * Trains the behaviour model on `train` (learner and settings chosen on an inner split of it) and scores
 * `test` through onnxruntime-web in float32 and int8, next to the majority-class baseline (the training
 * positive rate as a constant probability). Shared by `bench:quality`, `edgewise eval behaviour` and the
 * pipeline's behaviour step.
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
  const f32Model = exportBehaviourModel(model, "float32");
  const i8Model = exportBehaviourModel(model, "int8");
  return {
    majority: { ...majority, probability: rate },
    float32: evaluateClassifier(test.labels, await predictBehaviourWithOnnx(f32Model, model, test.rows)),
    int8: evaluateClassifier(test.labels, await predictBehaviourWithOnnx(i8Model, model, test.rows)),
    trainSeconds,
    trials,
    model,
    modelBytes: { float32: f32Model.bytes.length, int8: i8Model.bytes.length },
  };
}

import {
  denseToSparseRows,
  encodedWidth,
  encodeRows,
  fitTabularEncoder,
  type SparseRows,
  type TabularEncoderSpec,
  type TabularRow,
} from "../../../models/features/index.ts";
import type { BuiltModel, Quantization } from "../../../models/onnx/index.ts";
import {
  type ClassifierTrial,
  exportLogisticModel,
  type LogisticModel,
  predictLogistic,
  predictWithOnnx,
  trainLogisticWithValidation,
} from "../linear/index.ts";

/**
 * The behaviour model: a probability (churn, purchase) from tabular user/session features: the shared tabular encoder
 * (models/features: one-hot categories, standardised numerics) into a logistic regression whose L2 is chosen
 * on a stratified inner validation split of the training rows.
 */
export interface BehaviourModel {
  encoder: TabularEncoderSpec;
  classifier: LogisticModel;
}

export interface BehaviourTrainingOptions {
  numeric: readonly string[];
  categorical: readonly string[];
  l2Grid?: readonly number[];
  epochs?: number;
  seed?: number;
}

export const BEHAVIOUR_DEFAULTS = { l2Grid: [1e-4, 1e-3, 1e-2, 3e-2], epochs: 30, seed: 1 } as const;

function encode(encoder: TabularEncoderSpec, rows: readonly TabularRow[]): SparseRows {
  return denseToSparseRows(encodeRows(encoder, rows), rows.length, encodedWidth(encoder));
}

export function trainBehaviourModel(
  rows: readonly TabularRow[],
  labels: ArrayLike<number>,
  options: BehaviourTrainingOptions,
): { model: BehaviourModel; trials: ClassifierTrial[] } {
  const encoder = fitTabularEncoder(rows, options);
  const epochs = options.epochs ?? BEHAVIOUR_DEFAULTS.epochs;
  const seed = options.seed ?? BEHAVIOUR_DEFAULTS.seed;
  const grid = options.l2Grid ?? BEHAVIOUR_DEFAULTS.l2Grid;
  const { model, trials } = trainLogisticWithValidation(
    encode(encoder, rows),
    labels,
    grid.map((l2) => ({ l2, epochs, seed })),
    { seed },
  );
  return { model: { encoder, classifier: model }, trials };
}

export function predictBehaviour(model: BehaviourModel, rows: readonly TabularRow[]): Float32Array {
  return predictLogistic(model.classifier, encode(model.encoder, rows));
}

/** The baseline: always the training set's positive rate (so it predicts the majority class). */
export function majorityClassBaseline(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    positives += labels[i]!;
  }
  return labels.length === 0 ? 0 : positives / labels.length;
}

/** ONNX: input "features" [N, encodedWidth] (the encoder's output), output "probabilities" [N, 1]. */
export function exportBehaviourModel(
  model: BehaviourModel,
  quantize: Quantization,
  version = "0",
): BuiltModel {
  return exportLogisticModel(model.classifier, quantize, { name: "behaviour", version });
}

export async function predictBehaviourWithOnnx(
  built: BuiltModel,
  model: BehaviourModel,
  rows: readonly TabularRow[],
): Promise<Float32Array> {
  return predictWithOnnx(built, encode(model.encoder, rows), 1024);
}

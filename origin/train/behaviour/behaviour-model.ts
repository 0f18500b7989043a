import { MODEL_NAMES, VECTOR_TABLE_NAMES } from "../../../models/contracts/index.ts";
import {
  denseToSparseRows,
  encodedWidth,
  encodeRows,
  fitTabularEncoder,
  type TabularEncoderSpec,
  type TabularRow,
} from "../../../models/features/index.ts";
import {
  type BuiltModel,
  buildTreeEnsembleClassifier,
  type Quantization,
} from "../../../models/onnx/index.ts";
import { mulberry32 } from "../../../models/random.ts";
import type { ReleaseModel } from "../../release/index.ts";
import { logLoss } from "../evaluation/index.ts";
import {
  exportLogisticModel,
  type LogisticModel,
  predictLogistic,
  predictWithOnnx,
  stratifiedSplit,
  trainLogisticRegression,
} from "../linear/index.ts";
import { type DenseRows, GBDT_DEFAULTS, type GbdtModel, predictGbdt, trainGbdt } from "../trees/index.ts";

/**
 * The behaviour model: a probability (churn, purchase, conversion: whatever the target spec says) from
 * tabular user features, encoded by the shared tabular encoder (models/features: one-hot categories,
 * standardised numbers), then either a logistic regression or gradient-boosted trees. Which one, and its
 * settings, is chosen on a stratified inner validation split of the training rows (lowest log-loss), and
 * the winner is refitted on all of them. Both export to ONNX with the same input and output, so the edge
 * serves either the same way.
 */
export type BehaviourClassifier =
  | { learner: "logistic"; model: LogisticModel }
  | { learner: "gbdt"; model: GbdtModel };

export interface BehaviourModel {
  encoder: TabularEncoderSpec;
  classifier: BehaviourClassifier;
}

export type BehaviourLearner = BehaviourClassifier["learner"];

export interface BehaviourTrainingOptions {
  numeric: readonly string[];
  categorical: readonly string[];
  /** Learners that compete on validation; default both. */
  learners?: readonly BehaviourLearner[];
  l2Grid?: readonly number[];
  epochs?: number;
  /** Tree settings tried: leaves per tree × least hessian per leaf (the rest as GBDT_DEFAULTS). */
  gbdtGrid?: readonly { maxLeaves: number; minChildWeight: number }[];
  seed?: number;
}

export interface BehaviourTrial {
  learner: BehaviourLearner;
  /** The learner's settings, for reports (and the number of trees early stopping kept). */
  settings: Record<string, number>;
  validationLogLoss: number;
}

export const BEHAVIOUR_DEFAULTS = {
  learners: ["logistic", "gbdt"],
  l2Grid: [1e-4, 1e-3, 1e-2, 3e-2],
  epochs: 30,
  gbdtGrid: [
    { maxLeaves: 4, minChildWeight: 1 },
    { maxLeaves: 8, minChildWeight: 1 },
    { maxLeaves: 8, minChildWeight: 10 },
    { maxLeaves: 16, minChildWeight: 10 },
  ],
  seed: 1,
} as const;

const VALIDATION_FRACTION = 0.2;

function pickRows(x: Float32Array, width: number, labels: ArrayLike<number>, rows: Int32Array): DenseRows {
  const out = new Float32Array(rows.length * width);
  rows.forEach((r, i) => {
    out.set(x.subarray(r * width, (r + 1) * width), i * width);
  });
  return { x: out, rows: rows.length, labels: Uint8Array.from(rows, (r) => labels[r]!) };
}

/** A candidate: how to fit it on some rows, optionally early-stopped on others. */
interface Candidate {
  learner: BehaviourLearner;
  settings: Record<string, number>;
  fit(train: DenseRows, width: number, validation?: DenseRows): BehaviourClassifier;
}

function candidates(options: BehaviourTrainingOptions, seed: number): Candidate[] {
  const learners = options.learners ?? BEHAVIOUR_DEFAULTS.learners;
  const out: Candidate[] = [];
  if (learners.includes("logistic")) {
    const epochs = options.epochs ?? BEHAVIOUR_DEFAULTS.epochs;
    for (const l2 of options.l2Grid ?? BEHAVIOUR_DEFAULTS.l2Grid) {
      out.push({
        learner: "logistic",
        settings: { l2, epochs },
        fit: (train, width) => ({
          learner: "logistic",
          model: trainLogisticRegression(denseToSparseRows(train.x, train.rows, width), train.labels, {
            l2,
            epochs,
            seed,
          }),
        }),
      });
    }
  }
  if (learners.includes("gbdt")) {
    for (const tree of options.gbdtGrid ?? BEHAVIOUR_DEFAULTS.gbdtGrid) {
      const settings: Record<string, number> = { ...tree, learningRate: GBDT_DEFAULTS.learningRate };
      out.push({
        learner: "gbdt",
        settings,
        fit: (train, width, validation) => {
          // Early stopping picks the rounds on validation; the refit on every row keeps that many.
          const rounds = validation ? GBDT_DEFAULTS.rounds : (settings.trees ?? GBDT_DEFAULTS.rounds);
          const fitted = trainGbdt(train, width, { ...tree, rounds }, validation);
          settings.trees = fitted.rounds;
          return { learner: "gbdt", model: fitted.model };
        },
      });
    }
  }
  if (out.length === 0) {
    throw new Error("trainBehaviourModel: no learner to train");
  }
  return out;
}

function predictEncoded(classifier: BehaviourClassifier, x: Float32Array, rows: number, width: number) {
  return classifier.learner === "logistic"
    ? predictLogistic(classifier.model, denseToSparseRows(x, rows, width))
    : predictGbdt(classifier.model, x, rows);
}

export function trainBehaviourModel(
  rows: readonly TabularRow[],
  labels: ArrayLike<number>,
  options: BehaviourTrainingOptions,
): { model: BehaviourModel; trials: BehaviourTrial[] } {
  const seed = options.seed ?? BEHAVIOUR_DEFAULTS.seed;
  const encoder = fitTabularEncoder(rows, options);
  const width = encodedWidth(encoder);
  const x = encodeRows(encoder, rows);
  const split = stratifiedSplit(labels, VALIDATION_FRACTION, mulberry32(seed));
  const inner = pickRows(x, width, labels, split.train);
  const validation = pickRows(x, width, labels, split.validation);
  const trials: BehaviourTrial[] = [];
  let best: Candidate | null = null;
  let bestLoss = Number.POSITIVE_INFINITY;
  for (const candidate of candidates(options, seed)) {
    const fitted = candidate.fit(inner, width, validation);
    const loss = logLoss(validation.labels, predictEncoded(fitted, validation.x, validation.rows, width));
    trials.push({ learner: candidate.learner, settings: { ...candidate.settings }, validationLogLoss: loss });
    if (loss < bestLoss) {
      bestLoss = loss;
      best = candidate;
    }
  }
  const all: DenseRows = { x, rows: rows.length, labels };
  return { model: { encoder, classifier: best!.fit(all, width) }, trials };
}

export function predictBehaviour(model: BehaviourModel, rows: readonly TabularRow[]): Float32Array {
  return predictEncoded(
    model.classifier,
    encodeRows(model.encoder, rows),
    rows.length,
    encodedWidth(model.encoder),
  );
}

/** The baseline: always the training set's positive rate (so it predicts the majority class). */
export function majorityClassBaseline(labels: ArrayLike<number>): number {
  let positives = 0;
  for (let i = 0; i < labels.length; i++) {
    positives += labels[i]!;
  }
  return labels.length === 0 ? 0 : positives / labels.length;
}

/**
 * ONNX: input "features" [N, encodedWidth] (the encoder's output), output "probabilities" [N, 1]. Trees
 * become an ai.onnx.ml TreeEnsembleClassifier; "int8" rounds their leaf values (the bytes stay the same).
 */
export function exportBehaviourModel(
  model: BehaviourModel,
  quantize: Quantization,
  version = "0",
): BuiltModel {
  const meta = { name: MODEL_NAMES.behaviour, version };
  const { classifier } = model;
  return classifier.learner === "logistic"
    ? exportLogisticModel(classifier.model, quantize, meta)
    : buildTreeEnsembleClassifier({
        trees: classifier.model.trees,
        baseScore: classifier.model.baseScore,
        inputDim: classifier.model.dim,
        quantize,
        ...meta,
      });
}

/**
 * What the pipeline publishes: int8 weights for a logistic model (4× smaller); float32 for trees, whose
 * ONNX attributes are float32 whatever the leaves hold, so rounding them would cost accuracy for nothing.
 */
export function servedQuantization(model: BehaviourModel): Quantization {
  return model.classifier.learner === "gbdt" ? "float32" : "int8";
}

/**
 * The model as a release publishes it: its bytes (in its served quantization unless told), the users'
 * `behaviour` vector table as its input, and the tabular encoder the edge encodes raw attributes with.
 */
export function behaviourReleaseModel(
  model: BehaviourModel,
  version: string,
  options: { quantize?: Quantization; metrics?: Record<string, number>; name?: string } = {},
): ReleaseModel {
  const name = options.name ?? MODEL_NAMES.behaviour;
  return {
    ...exportBehaviourModel(model, options.quantize ?? servedQuantization(model), version),
    name,
    version,
    featureVector: VECTOR_TABLE_NAMES.behaviour,
    preprocessing: { kind: "tabular", spec: model.encoder },
    ...(options.metrics ? { metrics: options.metrics } : {}),
  };
}

export async function predictBehaviourWithOnnx(
  built: BuiltModel,
  model: BehaviourModel,
  rows: readonly TabularRow[],
): Promise<Float32Array> {
  const width = encodedWidth(model.encoder);
  return predictWithOnnx(built, denseToSparseRows(encodeRows(model.encoder, rows), rows.length, width), 1024);
}

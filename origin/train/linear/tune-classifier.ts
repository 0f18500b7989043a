import type { SparseRows } from "../../../models/features/sparse-rows.ts";
import { mulberry32 } from "../../../models/random.ts";
import { logLoss } from "../evaluation/index.ts";
import {
  type LogisticModel,
  type LogisticRegressionOptions,
  predictLogistic,
  trainLogisticRegression,
} from "./logistic-regression.ts";
import { pickLabels, selectRows, stratifiedSplit } from "./select-rows.ts";

/**
 * One candidate of the search: the learner's options, and optionally a scale per feature column computed
 * from the rows it trains on (NB-SVM's log-count ratios, a group weighted apart). Training sees x scaled
 * column by column; the model returned multiplies the scales into its weights, so it reads unscaled x.
 */
export interface ClassifierCandidate extends LogisticRegressionOptions {
  columnScales?: (x: SparseRows, labels: ArrayLike<number>) => Float32Array;
  /** How reports name the column scaling (e.g. "log-count ratios"). */
  scaling?: string;
}

export interface ClassifierTrial {
  options: LogisticRegressionOptions & { scaling?: string };
  validationLogLoss: number;
}

/** The rows with every value multiplied by its column's scale. */
export function scaleColumns(x: SparseRows, scales: Float32Array): SparseRows {
  const values = new Float32Array(x.values.length);
  for (let t = 0; t < values.length; t++) {
    values[t] = x.values[t]! * scales[x.indices[t]!]!;
  }
  return { ...x, values };
}

/** Trains one candidate on (x, labels): the column scales from these rows, folded into the weights. */
function fitCandidate(
  x: SparseRows,
  labels: ArrayLike<number>,
  candidate: ClassifierCandidate,
): LogisticModel {
  const { columnScales, scaling: _scaling, ...options } = candidate;
  if (!columnScales) {
    return trainLogisticRegression(x, labels, options);
  }
  const scales = columnScales(x, labels);
  const model = trainLogisticRegression(scaleColumns(x, scales), labels, options);
  return { ...model, weights: model.weights.map((w, j) => w * scales[j]!) };
}

/**
 * Chooses a candidate on a stratified inner validation split of the TRAINING rows (lowest log-loss), then
 * refits the winner on all of them. The caller's test rows never enter, and column scales are computed
 * from the rows each fit trains on, never from the validation rows.
 */
export function trainLogisticWithValidation(
  x: SparseRows,
  labels: ArrayLike<number>,
  candidates: readonly ClassifierCandidate[],
  options: { validationFraction?: number; seed?: number } = {},
): { model: LogisticModel; chosen: ClassifierCandidate; trials: ClassifierTrial[] } {
  if (candidates.length === 0) {
    throw new Error("trainLogisticWithValidation: no candidates");
  }
  const split = stratifiedSplit(labels, options.validationFraction ?? 0.2, mulberry32(options.seed ?? 7));
  const xTrain = selectRows(x, split.train);
  const yTrain = pickLabels(labels, split.train);
  const xVal = selectRows(x, split.validation);
  const yVal = pickLabels(labels, split.validation);
  const trials: ClassifierTrial[] = [];
  let chosen = candidates[0]!;
  let best = Number.POSITIVE_INFINITY;
  for (const candidate of candidates) {
    const loss = logLoss(yVal, predictLogistic(fitCandidate(xTrain, yTrain, candidate), xVal));
    const { columnScales: _scales, ...described } = candidate;
    trials.push({ options: described, validationLogLoss: loss });
    if (loss < best) {
      best = loss;
      chosen = candidate;
    }
  }
  return { model: fitCandidate(x, labels, chosen), chosen, trials };
}

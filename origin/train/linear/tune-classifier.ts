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

export interface ClassifierTrial {
  options: LogisticRegressionOptions;
  validationLogLoss: number;
}

/**
 * Chooses logistic-regression options on a stratified inner validation split of the TRAINING rows (lowest
 * log-loss), then refits the winner on all of them. The caller's test rows never enter.
 */
export function trainLogisticWithValidation(
  x: SparseRows,
  labels: ArrayLike<number>,
  candidates: readonly LogisticRegressionOptions[],
  options: { validationFraction?: number; seed?: number } = {},
): { model: LogisticModel; chosen: LogisticRegressionOptions; trials: ClassifierTrial[] } {
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
    const model = trainLogisticRegression(xTrain, yTrain, candidate);
    const loss = logLoss(yVal, predictLogistic(model, xVal));
    trials.push({ options: candidate, validationLogLoss: loss });
    if (loss < best) {
      best = loss;
      chosen = candidate;
    }
  }
  return { model: trainLogisticRegression(x, labels, chosen), chosen, trials };
}

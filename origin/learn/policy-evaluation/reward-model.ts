/**
 * The reward model of the doubly robust estimator: ridge regression of the top-slot reward on
 * context⊗action (the same features and sufficient statistics as the bandit), cross-fitted: records are
 * split into folds, and each record is predicted by a model fit on the other folds only. A model that had
 * seen a record would fit its noise, and DR's correction term would then cancel it: biased estimates and
 * intervals too narrow. Predictions are clipped to [-1, 1], the reward range.
 */
import {
  accumulateExample,
  createLinearState,
  projectContext,
  refreshLinearState,
} from "../../../models/bandit/linear-state.ts";
import { mulberry32 } from "../../../models/random.ts";
import type { LoggedBanditData } from "./logged-data.ts";

export interface RewardModelOptions {
  /** ≥ 2. */
  folds?: number;
  ridge?: number;
  /** Seeds the assignment of records to folds. */
  seed?: number;
}

/** q̂(x_i, a) for every candidate of every record, aligned with data.candidates' rows. */
export function crossFitRewardPredictions(
  data: LoggedBanditData,
  options: RewardModelOptions = {},
): Float64Array {
  const folds = Math.max(2, options.folds ?? 2);
  const ridge = options.ridge ?? 1;
  const { contextDims: dc, actionDims: da, records } = data;
  const fold = new Uint8Array(records);
  const order = Array.from({ length: records }, (_, i) => i);
  const rng = mulberry32(options.seed ?? 1);
  for (let i = records - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    [order[i], order[j]] = [order[j]!, order[i]!];
  }
  order.forEach((record, position) => {
    fold[record] = position % folds;
  });

  // Per-fold sufficient statistics; the model for fold f is (all folds) − (fold f).
  const perFold = Array.from({ length: folds }, () => createLinearState(dc, da, ridge));
  for (let i = 0; i < records; i++) {
    const row = data.candidateOffsets[i]! + data.logged[i]!;
    accumulateExample(
      perFold[fold[i]!]!,
      data.contexts.subarray(i * dc, (i + 1) * dc),
      data.candidates,
      row * da,
      data.rewards[i]!,
    );
  }
  const predictions = new Float64Array(data.candidateOffsets[records]!);
  for (let f = 0; f < folds; f++) {
    const model = createLinearState(dc, da, ridge);
    for (let g = 0; g < folds; g++) {
      if (g === f) {
        continue;
      }
      const other = perFold[g]!;
      for (let p = 0; p < model.a.length; p++) {
        model.a[p] = model.a[p]! + other.a[p]!;
      }
      for (let p = 0; p < model.b.length; p++) {
        model.b[p] = model.b[p]! + other.b[p]!;
      }
      // Each fold's A carries its own λI: remove it so the sum holds λI once.
      for (let p = 0; p < model.dims; p++) {
        model.a[p * model.dims + p] = model.a[p * model.dims + p]! - ridge;
      }
    }
    refreshLinearState(model);
    for (let i = 0; i < records; i++) {
      if (fold[i] !== f) {
        continue;
      }
      const { mean } = projectContext(model, data.contexts.subarray(i * dc, (i + 1) * dc));
      for (let row = data.candidateOffsets[i]!; row < data.candidateOffsets[i + 1]!; row++) {
        let q = 0;
        for (let j = 0; j < da; j++) {
          q += mean[j]! * data.candidates[row * da + j]!;
        }
        predictions[row] = Math.max(-1, Math.min(1, q));
      }
    }
  }
  return predictions;
}

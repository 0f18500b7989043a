/** A candidate policy's estimated value on logged data, by IPS, SNIPS and DR, with intervals and weight diagnostics. */
import type { BanditPolicy } from "../../../models/bandit/policy.ts";
import {
  drTerms,
  type EstimatorName,
  type EstimatorTerms,
  importanceWeights,
  ipsTerms,
  snipsTerms,
  type WeightDiagnostics,
  weightDiagnostics,
} from "./estimator-terms.ts";
import type { LoggedBanditData } from "./logged-data.ts";
import { type Estimate, type IntervalOptions, ratioEstimate } from "./ratio-estimate.ts";
import { crossFitRewardPredictions, type RewardModelOptions } from "./reward-model.ts";
import { policyTargetProbabilities } from "./target-probabilities.ts";

export interface EvaluationOptions extends IntervalOptions {
  /** Cap on importance weights (clipped IPS / DR); none by default. See estimator-terms.ts for the bias. */
  maxWeight?: number;
  rewardModel?: RewardModelOptions;
  /** Seeds Monte Carlo target probabilities of a Thompson policy. */
  seed?: number;
}

export interface PolicyValue {
  estimates: Record<EstimatorName, Estimate>;
  diagnostics: WeightDiagnostics;
}

/** A policy, or its π(a | x) for every logged candidate already computed. */
export type TargetPolicy = BanditPolicy | Float64Array;

export function targetProbabilities(data: LoggedBanditData, target: TargetPolicy, seed = 1): Float64Array {
  return target instanceof Float64Array ? target : policyTargetProbabilities(target, data, seed);
}

/** The three estimators' terms for one target; `predictions` may be shared between targets. */
export function estimatorTermsFor(
  data: LoggedBanditData,
  target: Float64Array,
  predictions: Float64Array,
  maxWeight: number | undefined,
): { terms: Record<EstimatorName, EstimatorTerms>; diagnostics: WeightDiagnostics } {
  const weights = importanceWeights(data, target, maxWeight);
  return {
    terms: {
      ips: ipsTerms(data, weights),
      snips: snipsTerms(data, weights),
      dr: drTerms(data, target, weights, predictions),
    },
    diagnostics: weightDiagnostics(weights),
  };
}

export function evaluatePolicy(
  data: LoggedBanditData,
  target: TargetPolicy,
  options: EvaluationOptions = {},
): PolicyValue {
  if (data.records < 2) {
    throw new Error(`off-policy evaluation needs at least 2 logged decisions, got ${data.records}`);
  }
  const probabilities = targetProbabilities(data, target, options.seed);
  const predictions = crossFitRewardPredictions(data, options.rewardModel);
  const { terms, diagnostics } = estimatorTermsFor(data, probabilities, predictions, options.maxWeight);
  return {
    estimates: {
      ips: ratioEstimate(terms.ips, options),
      snips: ratioEstimate(terms.snips, options),
      dr: ratioEstimate(terms.dr, options),
    },
    diagnostics,
  };
}

/**
 * The off-policy estimators, each written as a ratio of means V = Σ numerator / Σ denominator over the
 * logged records, so that one routine gives every estimator its interval (ratio-estimate.ts):
 *
 * - IPS: numerator w·r, denominator 1, with w = π(a|x) / p(a|x) the importance weight of the logged
 *   action. Unbiased when every action the candidate might take had a logged propensity > 0; variance
 *   grows with the weights.
 * - SNIPS (self-normalised): numerator w·r, denominator w. Slightly biased (O(1/n)), but invariant to a
 *   constant shift of the rewards and far steadier when a few weights are large.
 * - DR (doubly robust): numerator Σ_a π(a|x)·q̂(x,a) + w·(r − q̂(x,a)), denominator 1: the reward model's
 *   prediction for the candidate, corrected by the weighted residual of the logged action. Unbiased if
 *   either the propensities or the reward model are right, and its variance shrinks as q̂ improves.
 * - observed: numerator r, denominator 1: the logging policy's own value, measured on-policy.
 *
 * Clipping (maxWeight) caps w at M: variance drops, but the estimate is biased towards 0 by
 * E[(w − M)⁺·r] for IPS (E[(w − M)⁺·(r − q̂)] for DR), and the interval then covers the clipped
 * quantity, not the policy's true value. The diagnostics report how many weights were clipped.
 */
import type { LoggedBanditData } from "./logged-data.ts";

export type EstimatorName = "ips" | "snips" | "dr";
export const ESTIMATORS: readonly EstimatorName[] = ["ips", "snips", "dr"];

export interface EstimatorTerms {
  numerator: Float64Array;
  denominator: Float64Array;
}

export interface ImportanceWeights {
  weights: Float64Array;
  clipped: number;
}

export interface WeightDiagnostics {
  /** ≈ 1 when the propensities are right and the candidate's support is covered; far from 1 is a warning. */
  meanWeight: number;
  maxWeight: number;
  /** (Σw)² / Σw²: how many records the estimate effectively rests on. */
  effectiveSampleSize: number;
  clipped: number;
}

/** w_i = π(a_i | x_i) / p_i, capped at maxWeight when given. */
export function importanceWeights(
  data: LoggedBanditData,
  target: Float64Array,
  maxWeight?: number,
): ImportanceWeights {
  const weights = new Float64Array(data.records);
  let clipped = 0;
  for (let i = 0; i < data.records; i++) {
    const w = target[data.candidateOffsets[i]! + data.logged[i]!]! / data.propensities[i]!;
    if (maxWeight !== undefined && w > maxWeight) {
      weights[i] = maxWeight;
      clipped++;
    } else {
      weights[i] = w;
    }
  }
  return { weights, clipped };
}

export function weightDiagnostics({ weights, clipped }: ImportanceWeights): WeightDiagnostics {
  let sum = 0;
  let squares = 0;
  let max = 0;
  for (const w of weights) {
    sum += w;
    squares += w * w;
    max = Math.max(max, w);
  }
  return {
    meanWeight: weights.length === 0 ? Number.NaN : sum / weights.length,
    maxWeight: max,
    effectiveSampleSize: squares === 0 ? 0 : (sum * sum) / squares,
    clipped,
  };
}

const ones = (n: number) => new Float64Array(n).fill(1);

export function observedTerms(data: LoggedBanditData): EstimatorTerms {
  return { numerator: data.rewards.slice(), denominator: ones(data.records) };
}

export function ipsTerms(data: LoggedBanditData, { weights }: ImportanceWeights): EstimatorTerms {
  const numerator = new Float64Array(data.records);
  for (let i = 0; i < data.records; i++) {
    numerator[i] = weights[i]! * data.rewards[i]!;
  }
  return { numerator, denominator: ones(data.records) };
}

export function snipsTerms(data: LoggedBanditData, weights: ImportanceWeights): EstimatorTerms {
  return { numerator: ipsTerms(data, weights).numerator, denominator: weights.weights.slice() };
}

/** `predictions` are q̂(x_i, a) for every candidate (crossFitRewardPredictions). */
export function drTerms(
  data: LoggedBanditData,
  target: Float64Array,
  { weights }: ImportanceWeights,
  predictions: Float64Array,
): EstimatorTerms {
  const numerator = new Float64Array(data.records);
  for (let i = 0; i < data.records; i++) {
    const start = data.candidateOffsets[i]!;
    let direct = 0;
    for (let row = start; row < data.candidateOffsets[i + 1]!; row++) {
      direct += target[row]! * predictions[row]!;
    }
    const loggedRow = start + data.logged[i]!;
    numerator[i] = direct + weights[i]! * (data.rewards[i]! - predictions[loggedRow]!);
  }
  return { numerator, denominator: ones(data.records) };
}

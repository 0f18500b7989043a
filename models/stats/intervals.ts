/** Confidence intervals for a mean reward, shared by experiment results (both sides) and policy evaluation. */
import { twoSidedZ } from "./normal-quantile.ts";

export interface Interval {
  lower: number;
  upper: number;
}

export interface MeanEstimate extends Interval {
  n: number;
  mean: number;
  /** Standard error of the mean (sample standard deviation / √n); NaN below two observations. */
  standardError: number;
  method: "wilson" | "normal";
}

/**
 * Wilson score interval for a proportion: unlike the normal (Wald) interval it stays inside [0, 1] and
 * keeps close to its nominal coverage for rates near 0 or 1 and for small n, which is where click rates live.
 */
export function wilsonInterval(successes: number, n: number, confidence = 0.95): MeanEstimate {
  if (n === 0) {
    return { n, mean: Number.NaN, standardError: Number.NaN, lower: 0, upper: 1, method: "wilson" };
  }
  const z = twoSidedZ(confidence);
  const p = successes / n;
  const z2 = z * z;
  const denominator = 1 + z2 / n;
  const centre = (p + z2 / (2 * n)) / denominator;
  const half = (z * Math.sqrt((p * (1 - p)) / n + z2 / (4 * n * n))) / denominator;
  return {
    n,
    mean: p,
    standardError: Math.sqrt((p * (1 - p)) / n),
    lower: Math.max(0, centre - half),
    upper: Math.min(1, centre + half),
    method: "wilson",
  };
}

/** Normal (CLT) interval for the mean of arbitrary values, with the unbiased sample variance. */
export function normalMeanInterval(values: ArrayLike<number>, confidence = 0.95): MeanEstimate {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) {
    sum += values[i]!;
  }
  const mean = n === 0 ? Number.NaN : sum / n;
  let squares = 0;
  for (let i = 0; i < n; i++) {
    const d = values[i]! - mean;
    squares += d * d;
  }
  const standardError = n < 2 ? Number.NaN : Math.sqrt(squares / (n - 1) / n);
  if (n < 2) {
    return {
      n,
      mean,
      standardError,
      lower: Number.NEGATIVE_INFINITY,
      upper: Number.POSITIVE_INFINITY,
      method: "normal",
    };
  }
  const half = twoSidedZ(confidence) * standardError;
  return { n, mean, standardError, lower: mean - half, upper: mean + half, method: "normal" };
}

/**
 * Intervals for V = Σ num / Σ den (estimator-terms.ts). Normal: V ± z·sd(ψ)/√n with the influence terms
 * ψ_i = (num_i − V·den_i) / mean(den) (the delta method; for den ≡ 1 this is the ordinary CLT interval
 * with the sample variance). Bootstrap: resample records with replacement, percentile interval; slower,
 * but honest when a few large weights make the distribution of the estimate skewed. A difference of two
 * estimates on the same records is paired (per-record ψ differences, or the same resamples), which is
 * far tighter than comparing two separate intervals because both estimates share the records' noise.
 */
import { mulberry32 } from "../../../models/random.ts";
import { twoSidedZ } from "../../../models/stats/index.ts";
import type { EstimatorTerms } from "./estimator-terms.ts";

export interface Estimate {
  value: number;
  standardError: number;
  lower: number;
  upper: number;
  method: "normal" | "bootstrap";
}

export interface IntervalOptions {
  /** Two-sided confidence level, 0.95 by default. */
  confidence?: number;
  /** Percentile bootstrap instead of the normal interval. */
  bootstrap?: { resamples: number; seed: number };
}

function ratio(terms: EstimatorTerms): number {
  let num = 0;
  let den = 0;
  for (let i = 0; i < terms.numerator.length; i++) {
    num += terms.numerator[i]!;
    den += terms.denominator[i]!;
  }
  return num / den;
}

function influence(terms: EstimatorTerms): Float64Array {
  const n = terms.numerator.length;
  const v = ratio(terms);
  let den = 0;
  for (let i = 0; i < n; i++) {
    den += terms.denominator[i]!;
  }
  const meanDen = den / n;
  const psi = new Float64Array(n);
  for (let i = 0; i < n; i++) {
    psi[i] = (terms.numerator[i]! - v * terms.denominator[i]!) / meanDen;
  }
  return psi;
}

function sampleSd(values: Float64Array): number {
  const n = values.length;
  let mean = 0;
  for (const v of values) {
    mean += v / n;
  }
  let squares = 0;
  for (const v of values) {
    squares += (v - mean) * (v - mean);
  }
  return Math.sqrt(squares / (n - 1));
}

function normalEstimate(value: number, psi: Float64Array, confidence: number): Estimate {
  const standardError = sampleSd(psi) / Math.sqrt(psi.length);
  const half = twoSidedZ(confidence) * standardError;
  return { value, standardError, lower: value - half, upper: value + half, method: "normal" };
}

/** Bootstrap replicates of every terms' ratio, all on the same resamples (so differences are paired). */
function bootstrapReplicates(
  terms: readonly EstimatorTerms[],
  resamples: number,
  seed: number,
): Float64Array[] {
  const n = terms[0]!.numerator.length;
  const rng = mulberry32(seed);
  const replicates = terms.map(() => new Float64Array(resamples));
  const counts = new Uint32Array(n);
  for (let b = 0; b < resamples; b++) {
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      counts[Math.floor(rng() * n)]!++;
    }
    terms.forEach((t, k) => {
      let num = 0;
      let den = 0;
      for (let i = 0; i < n; i++) {
        const c = counts[i]!;
        if (c !== 0) {
          num += c * t.numerator[i]!;
          den += c * t.denominator[i]!;
        }
      }
      replicates[k]![b] = num / den;
    });
  }
  return replicates;
}

function percentileEstimate(value: number, replicates: Float64Array, confidence: number): Estimate {
  const sorted = replicates.slice().sort();
  const tail = (1 - confidence) / 2;
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.floor(q * sorted.length)))]!;
  return {
    value,
    standardError: sampleSd(replicates),
    lower: at(tail),
    upper: at(1 - tail),
    method: "bootstrap",
  };
}

export function ratioEstimate(terms: EstimatorTerms, options: IntervalOptions = {}): Estimate {
  const confidence = options.confidence ?? 0.95;
  const value = ratio(terms);
  if (options.bootstrap) {
    const [replicates] = bootstrapReplicates([terms], options.bootstrap.resamples, options.bootstrap.seed);
    return percentileEstimate(value, replicates!, confidence);
  }
  return normalEstimate(value, influence(terms), confidence);
}

/** The paired estimate of ratio(a) − ratio(b) on the same records. */
export function ratioDifference(
  a: EstimatorTerms,
  b: EstimatorTerms,
  options: IntervalOptions = {},
): Estimate {
  const confidence = options.confidence ?? 0.95;
  const value = ratio(a) - ratio(b);
  if (options.bootstrap) {
    const [ra, rb] = bootstrapReplicates([a, b], options.bootstrap.resamples, options.bootstrap.seed);
    const diff = new Float64Array(ra!.length);
    for (let i = 0; i < diff.length; i++) {
      diff[i] = ra![i]! - rb![i]!;
    }
    return percentileEstimate(value, diff, confidence);
  }
  const psiA = influence(a);
  const psiB = influence(b);
  for (let i = 0; i < psiA.length; i++) {
    psiA[i] = psiA[i]! - psiB[i]!;
  }
  return normalEstimate(value, psiA, confidence);
}

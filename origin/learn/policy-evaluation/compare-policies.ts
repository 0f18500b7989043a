/**
 * Candidate vs logging policy on the same logs, and the publish gate built on it. The recommendation reads
 * the paired difference (candidate − logging) of one estimator (DR by default: lowest variance):
 * "dont_publish" when its whole interval lies below 0 (the candidate is worse), "publish" when it lies
 * above 0, "inconclusive" otherwise. The gate refuses a worse candidate unless forced; an inconclusive one
 * passes unless improvement is required.
 */
import {
  ESTIMATORS,
  type EstimatorName,
  type EstimatorTerms,
  observedTerms,
  type WeightDiagnostics,
} from "./estimator-terms.ts";
import {
  type EvaluationOptions,
  estimatorTermsFor,
  type TargetPolicy,
  targetProbabilities,
} from "./evaluate-policy.ts";
import type { LoggedBanditData } from "./logged-data.ts";
import { type Estimate, ratioDifference, ratioEstimate } from "./ratio-estimate.ts";
import { crossFitRewardPredictions } from "./reward-model.ts";

export type Recommendation = "publish" | "dont_publish" | "inconclusive";

export interface CompareOptions extends EvaluationOptions {
  /** The estimator whose difference decides; "dr" by default. */
  decideBy?: EstimatorName;
}

export interface PolicyComparison {
  records: number;
  confidence: number;
  decideBy: EstimatorName;
  candidate: Record<EstimatorName, Estimate>;
  /** With logging "observed", every estimator's entry is the on-policy mean reward. */
  logging: Record<EstimatorName, Estimate>;
  /** candidate − logging, paired. */
  difference: Record<EstimatorName, Estimate>;
  diagnostics: { candidate: WeightDiagnostics; logging: WeightDiagnostics | null };
  recommendation: Recommendation;
  reason: string;
}

/**
 * `logging`: "observed" (the logs' own mean reward: the policy that actually ran, measured on-policy) or a
 * policy to estimate off-policy like the candidate (the currently published one, when the logs mix several).
 */
export function comparePolicies(
  data: LoggedBanditData,
  candidate: TargetPolicy,
  logging: TargetPolicy | "observed",
  options: CompareOptions = {},
): PolicyComparison {
  if (data.records < 2) {
    throw new Error(`comparing policies needs at least 2 logged decisions, got ${data.records}`);
  }
  const confidence = options.confidence ?? 0.95;
  const decideBy = options.decideBy ?? "dr";
  const predictions = crossFitRewardPredictions(data, options.rewardModel);
  const cand = estimatorTermsFor(
    data,
    targetProbabilities(data, candidate, options.seed),
    predictions,
    options.maxWeight,
  );
  let base: { terms: Record<EstimatorName, EstimatorTerms>; diagnostics: WeightDiagnostics | null };
  if (logging === "observed") {
    const observed = observedTerms(data);
    base = { terms: { ips: observed, snips: observed, dr: observed }, diagnostics: null };
  } else {
    base = estimatorTermsFor(
      data,
      targetProbabilities(data, logging, options.seed),
      predictions,
      options.maxWeight,
    );
  }
  const each = (f: (name: EstimatorName) => Estimate) =>
    Object.fromEntries(ESTIMATORS.map((name) => [name, f(name)])) as Record<EstimatorName, Estimate>;
  const difference = each((name) => ratioDifference(cand.terms[name], base.terms[name], options));
  const deciding = difference[decideBy];
  const interval = `[${deciding.lower.toFixed(4)}, ${deciding.upper.toFixed(4)}]`;
  const level = `${Math.round(confidence * 100)}%`;
  let recommendation: Recommendation;
  let reason: string;
  if (deciding.upper < 0) {
    recommendation = "dont_publish";
    reason = `worse: the ${level} interval of the ${decideBy} difference ${interval} lies below 0`;
  } else if (deciding.lower > 0) {
    recommendation = "publish";
    reason = `better: the ${level} interval of the ${decideBy} difference ${interval} lies above 0`;
  } else {
    recommendation = "inconclusive";
    reason = `inconclusive: the ${level} interval of the ${decideBy} difference ${interval} contains 0`;
  }
  return {
    records: data.records,
    confidence,
    decideBy,
    candidate: each((name) => ratioEstimate(cand.terms[name], options)),
    logging: each((name) => ratioEstimate(base.terms[name], options)),
    difference,
    diagnostics: { candidate: cand.diagnostics, logging: base.diagnostics },
    recommendation,
    reason,
  };
}

export interface GateOptions {
  /** Publish even a worse candidate. */
  force?: boolean;
  /** Refuse inconclusive candidates too. */
  requireImprovement?: boolean;
}

export function publishGate(
  comparison: PolicyComparison,
  options: GateOptions = {},
): { publish: boolean; reason: string } {
  const { recommendation, reason } = comparison;
  const refused =
    recommendation === "dont_publish" ||
    (recommendation === "inconclusive" && options.requireImprovement === true);
  if (!refused) {
    return { publish: true, reason };
  }
  return options.force ? { publish: true, reason: `forced despite: ${reason}` } : { publish: false, reason };
}

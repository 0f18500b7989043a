/**
 * origin/learn/policy-evaluation: off-policy evaluation of bandit policies from logged decisions and rewards
 * (IPS, SNIPS, doubly robust; normal or bootstrap intervals) and the publish gate built on it.
 */
export {
  type CompareOptions,
  comparePolicies,
  type GateOptions,
  type PolicyComparison,
  publishGate,
  type Recommendation,
} from "./compare-policies.ts";
export {
  drTerms,
  ESTIMATORS,
  type EstimatorName,
  type EstimatorTerms,
  type ImportanceWeights,
  importanceWeights,
  ipsTerms,
  observedTerms,
  snipsTerms,
  type WeightDiagnostics,
  weightDiagnostics,
} from "./estimator-terms.ts";
export {
  type EvaluationOptions,
  evaluatePolicy,
  type PolicyValue,
  type TargetPolicy,
  targetProbabilities,
} from "./evaluate-policy.ts";
export {
  assertSameDims,
  type LoggedBanditData,
  type LoggedDataOptions,
  type LoggedDataResult,
  loggedDataFromJoined,
} from "./logged-data.ts";
export { type Estimate, type IntervalOptions, ratioDifference, ratioEstimate } from "./ratio-estimate.ts";
export { type DecisionLog, type RewardLog, readDecisionLog, readRewardLog } from "./read-logs.ts";
export { crossFitRewardPredictions, type RewardModelOptions } from "./reward-model.ts";
export { policyTargetProbabilities } from "./target-probabilities.ts";

/**
 * origin/learning: the learning loop's origin side. Decision and reward logs stored once each (learning
 * store), learning runs that join, learn, gate and publish the bandit policies (runLearning), and the
 * schedule `edgewise serve` runs them on.
 */
export { HOLDOUT_SHARE, isHoldout } from "./holdout.ts";
export { DEFAULT_GATE, type GateOutcome, type GateSettings, learnPolicy } from "./learn-policy.ts";
export {
  type ClosedDecision,
  createLearningStore,
  type ExperimentOutcomes,
  LearningConflictError,
  type LearningStore,
  type PolicyStateRow,
  type RunCommit,
  type StoredBatch,
} from "./learning-store.ts";
export { policyConfig, servingSurfaces } from "./policy-configs.ts";
export {
  type LearningDeps,
  type LearningOptions,
  type LearningReport,
  type PolicyReport,
  runLearning,
  type WithTargets,
} from "./run-learning.ts";

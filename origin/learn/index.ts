/**
 * origin/learn: the learning flow's door. The learning loop's origin side: decision and reward logs stored
 * once each (learning store) and taken over HTTP (http/), learning runs that join, learn, gate and publish
 * the bandit policies (runLearning), the schedule `edgewise serve` runs them on, and off-policy evaluation
 * (policy-evaluation/). Other flows and the doors import from here only.
 */
export { HOLDOUT_SHARE, isHoldout } from "./holdout.ts";
export { type LearningBatchResult, learningBatch } from "./http/learning-batch.ts";
export { experimentArms, type LearningRouteDeps, registerLearningRoutes } from "./http/learning-routes.ts";
export { DEFAULT_GATE, type GateOutcome, type GateSettings, learnPolicy } from "./learn-policy.ts";
export {
  type ClosedDecision,
  createLearningStore,
  type ExperimentOutcomes,
  LearningConflictError,
  type LearningRunRow,
  type LearningStore,
  type PolicyStateRow,
  type RunCommit,
  type StoredBatch,
} from "./learning-store.ts";
export { policyConfig, servingSurfaces } from "./policy-configs.ts";
export * from "./policy-evaluation/index.ts";
export {
  type LearningDeps,
  type LearningOptions,
  type LearningReport,
  type PolicyReport,
  runLearning,
  type WithTargets,
} from "./run-learning.ts";
export { learningOptionsFromConfig, startServeLearning } from "./serve-learning.ts";

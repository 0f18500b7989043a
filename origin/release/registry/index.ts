/**
 * origin/release/registry: every trained model version with its metrics, size, checksum, training window and
 * status; the log of training runs; and the publish gate that compares a candidate with what serves.
 */
export {
  type BaselineScore,
  type BaselineVerdict,
  baselineBar,
  DEFAULT_BASELINE_MARGIN,
  judgeBaseline,
} from "./baseline-gate.ts";
export {
  type CandidateModel,
  createModelRegistry,
  type ModelRef,
  type ModelRegistry,
  type ModelVersionRow,
  type RunOutcome,
  type TrainingRunRow,
} from "./model-registry.ts";
export {
  type GateDecision,
  type GateOptions,
  gateCandidates,
  headlineMetric,
  judgeCandidate,
} from "./publish-gate.ts";
export {
  MODEL_STATUSES,
  type ModelStatus,
  modelVersions,
  RUN_TRIGGERS,
  type RunTrigger,
  trainingRuns,
} from "./schema.ts";

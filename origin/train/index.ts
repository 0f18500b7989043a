/**
 * origin/pipeline: training runs from the event store to a release (run-training-pipeline.ts), the gate
 * and the publish (publish-trained-release.ts), rollback with user features (rollback-release.ts), the
 * logged cycle the CLI and the scheduler share (training-cycle.ts), and the scheduler (scheduler.ts).
 */

export { startScheduledRetraining } from "../cli/scheduled-retraining.ts";
export {
  describeTarget,
  fixedTargets,
  type PublishTargetChoice,
  type TargetsRunner,
  targetsRunner,
  withPublishTargets,
} from "../release/publish-targets.ts";
export {
  type PublishTrainedOptions,
  type PublishTrainedOutcome,
  publishTrainedRelease,
} from "../release/publish-trained-release.ts";
export { type RollbackOutcome, rollbackRelease } from "../release/rollback-release.ts";
export { modelsNotIn, servedModels } from "../release/served-models.ts";
export {
  CATALOG_ARTIFACT,
  NoTrainingDataError,
  PIPELINE_MODELS,
  type TrainedRelease,
} from "../release/trained-release.ts";
export {
  decodeUserFeaturesArtifact,
  encodeUserFeaturesArtifact,
  USER_FEATURES_ARTIFACT,
} from "../release/user-features-artifact.ts";
export { buildCatalogInput, CONTENT_VECTORS_MODEL, RECS_EMBEDDING_MODEL } from "./pipeline/build-catalog.ts";
export { eventWeight, interactionMatrix, recentItemsPerUser } from "./pipeline/interaction-matrix.ts";
export {
  type InteractionLog,
  type ReviewLog,
  readInteractions,
  readReviews,
  type StoredInteractionLog,
} from "./pipeline/read-interactions.ts";
export { newRunId } from "./pipeline/run-id.ts";
export {
  PIPELINE_DEFAULTS,
  PIPELINE_STEPS,
  type PipelineProgress,
  type PipelineStep,
  runTrainingPipeline,
  type TrainingPipelineOptions,
} from "./pipeline/run-training-pipeline.ts";
export { BEHAVIOUR_STEP_DEFAULTS, type BehaviourStepOptions } from "./pipeline/train-behaviour-step.ts";
export { RECS_STEP_DEFAULTS, type RecsStepOptions } from "./pipeline/train-recommender.ts";
export { SENTIMENT_STEP_DEFAULTS, type SentimentStepOptions } from "./pipeline/train-sentiment-step.ts";
export type { SkippedRows } from "./pipeline/training-row-checks.ts";
export { latestEventSeq } from "./schedule/latest-event-seq.ts";
export {
  type RetrainScheduler,
  type RetrainSchedulerOptions,
  type SchedulerRun,
  startRetrainScheduler,
} from "./schedule/scheduler.ts";
export {
  runTrainingCycle,
  type TrainingCycleDeps,
  type TrainingCycleOptions,
  type TrainingCycleResult,
} from "./schedule/training-cycle.ts";

/**
 * origin/pipeline: training runs from the event store to a release (run-training-pipeline.ts), the gate
 * and the publish (publish-trained-release.ts), rollback with user features (rollback-release.ts), the
 * logged cycle the CLI and the scheduler share (training-cycle.ts), and the scheduler (scheduler.ts).
 */
export { buildCatalogInput, CONTENT_VECTORS_MODEL, RECS_EMBEDDING_MODEL } from "./build-catalog.ts";
export { eventWeight, interactionMatrix, recentItemsPerUser } from "./interaction-matrix.ts";
export { latestEventSeq } from "./latest-event-seq.ts";
export {
  describeTarget,
  fixedTargets,
  type PublishTargetChoice,
  type TargetsRunner,
  targetsRunner,
  withPublishTargets,
} from "./publish-targets.ts";
export {
  type PublishTrainedOptions,
  type PublishTrainedOutcome,
  publishTrainedRelease,
} from "./publish-trained-release.ts";
export {
  type InteractionLog,
  type ReviewLog,
  readInteractions,
  readReviews,
  type StoredInteractionLog,
} from "./read-interactions.ts";
export { type RollbackOutcome, rollbackRelease } from "./rollback-release.ts";
export { newRunId } from "./run-id.ts";
export {
  PIPELINE_DEFAULTS,
  PIPELINE_STEPS,
  type PipelineProgress,
  type PipelineStep,
  runTrainingPipeline,
  type TrainingPipelineOptions,
} from "./run-training-pipeline.ts";
export { startScheduledRetraining } from "./scheduled-retraining.ts";
export {
  type RetrainScheduler,
  type RetrainSchedulerOptions,
  type SchedulerRun,
  startRetrainScheduler,
} from "./scheduler.ts";
export { modelsNotIn, servedModels } from "./served-models.ts";
export { BEHAVIOUR_STEP_DEFAULTS, type BehaviourStepOptions } from "./train-behaviour-step.ts";
export { RECS_STEP_DEFAULTS, type RecsStepOptions } from "./train-recommender.ts";
export { SENTIMENT_STEP_DEFAULTS, type SentimentStepOptions } from "./train-sentiment-step.ts";
export {
  CATALOG_ARTIFACT,
  NoTrainingDataError,
  PIPELINE_MODELS,
  type TrainedRelease,
} from "./trained-release.ts";
export {
  runTrainingCycle,
  type TrainingCycleDeps,
  type TrainingCycleOptions,
  type TrainingCycleResult,
} from "./training-cycle.ts";
export type { SkippedRows } from "./training-row-checks.ts";
export {
  decodeUserFeaturesArtifact,
  encodeUserFeaturesArtifact,
  USER_FEATURES_ARTIFACT,
} from "./user-features-artifact.ts";

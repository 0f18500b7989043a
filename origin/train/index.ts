/**
 * origin/train: the training flow's door. A training run from the event store to a release
 * (pipeline/run-training-pipeline.ts) with its steps, the trainers (recs/, sentiment/, behaviour/,
 * linear/), item enrichment (enrichment/), offline metrics (evaluation/), dataset parsers for
 * `edgewise eval` (datasets/), and the logged cycle and scheduler that train, then gate and publish
 * through the release flow (schedule/). Other flows and the doors import from here only.
 */

export * from "./behaviour/index.ts";
export {
  indexInteractions,
  parseNdjsonInteractions,
  type RawInteraction,
} from "./datasets/interaction-log.ts";
export { type LabelledTable, parseLabelledTableCsv } from "./datasets/labelled-table.ts";
export { type LabelledTexts, parseLabelledTextCsv } from "./datasets/labelled-text.ts";
export * from "./enrichment/index.ts";
export * from "./evaluation/index.ts";
export { EXPORT_FILES, type ExportSummary, exportInteractions } from "./handoff/export-interactions.ts";
export {
  type ImportedFactors,
  type ImportedRecommenderOptions,
  importedRecommender,
  NoHeldOutDataError,
} from "./handoff/imported-recommender.ts";
export { type FactorFiles, readImportedFactors } from "./handoff/read-imported-factors.ts";
export * from "./linear/index.ts";
export { buildCatalogInput, CONTENT_VECTORS_MODEL, RECS_EMBEDDING_MODEL } from "./pipeline/build-catalog.ts";
export { evaluateRecsFiles, type RecsFileEvaluation } from "./pipeline/evaluate-recs-files.ts";
export {
  eventWeight,
  interactionMatrix,
  interactionPairs,
  recentItemsPerUser,
} from "./pipeline/interaction-matrix.ts";
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
export {
  fittedRecommender,
  RECS_STEP_DEFAULTS,
  type RecommenderInput,
  type RecommenderStep,
  type RecsStepOptions,
  type RecsStepResult,
} from "./pipeline/train-recommender.ts";
export { SENTIMENT_STEP_DEFAULTS, type SentimentStepOptions } from "./pipeline/train-sentiment-step.ts";
export {
  resolveTrainingWindow,
  TRAINING_WINDOW_DEFAULTS,
  type TrainingWindow,
  type TrainingWindowOptions,
} from "./pipeline/training-window.ts";
export * from "./recs/index.ts";
export { trainingCycleSettings } from "./schedule/cycle-settings.ts";
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
export * from "./sentiment/index.ts";

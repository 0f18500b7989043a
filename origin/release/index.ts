/**
 * origin/release: the release flow's door. From a trained release to the edge and back: the model
 * registry and its publish gate (registry/), the KV publisher and its targets (publish/), the gate and
 * publish of a trained release (publish-trained-release.ts), and rollback with the users' features
 * (rollback-release.ts). Other flows and the doors import from here only; it imports no other flow.
 */
export * from "./publish/index.ts";
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
export * from "./registry/index.ts";
export { type RollbackOutcome, rollbackRelease } from "./rollback-release.ts";
export { modelsNotIn, servedModels } from "./served-models.ts";
export {
  CATALOG_ARTIFACT,
  type ImageFeatureReport,
  NoTrainingDataError,
  PIPELINE_MODELS,
  type SkippedRows,
  type TrainedRelease,
} from "./trained-release.ts";
export {
  decodeUserFeaturesArtifact,
  encodeUserFeaturesArtifact,
  USER_FEATURES_ARTIFACT,
} from "./user-features-artifact.ts";

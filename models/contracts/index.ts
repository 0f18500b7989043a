export {
  API_ERROR_CODES,
  ApiError,
  ApiErrorBody,
  type ApiErrorCode,
  type ApiErrorStatus,
  apiErrorBody,
} from "./api-error.ts";
export { ApiKeyRecord, hashApiKey } from "./api-key.ts";
export {
  type BehaviourTarget,
  BehaviourTargetError,
  BehaviourTargetSpec,
  DEFAULT_BEHAVIOUR_TARGET,
  describeBehaviourTarget,
  parseBehaviourTarget,
} from "./behaviour-target.ts";
export {
  DECISION_LIMITS,
  DEFAULT_REWARD_EVENT_ID,
  DecisionRecord,
  ExperimentRef,
  FeatureMap,
  FeatureValue,
  POLICY_ALGORITHMS,
  type PolicyAlgorithm,
  PolicyRef,
  RankAction,
  RankContext,
  RankedAction,
  RankRequest,
  type RankRequestInput,
  RankResponse,
  RewardRecord,
  RewardRequest,
  type RewardRequestInput,
  rewardRecordFromRequest,
  SlotReward,
} from "./decision.ts";
export {
  AddToCartEvent,
  Attributes,
  ClickEvent,
  DEFAULT_VALUE_RANGES,
  describeIssues,
  EVENT_LIMITS,
  EventContext,
  INTERACTION_TYPE_CODE,
  INTERACTION_TYPES,
  IngestRecord,
  type IngestRecordInput,
  type IngestRecordSchema,
  InteractionEvent,
  type InteractionType,
  ItemRecord,
  isInteraction,
  PurchaseEvent,
  parseIngestRecord,
  RatingEvent,
  RECORD_TYPES,
  type RecordType,
  ReviewEvent,
  recordSchemas,
  UserRecord,
  type ValueRanges,
  ViewEvent,
  valueRangesOf,
} from "./event.ts";
export { eventIdOf } from "./event-id.ts";
export {
  IMAGE_CONTENT_TYPES,
  IMAGE_FILE_EXTENSIONS,
  IMAGE_URL_LIMITS,
  type ImageContentType,
  type ImageUrlRules,
  imageContentType,
  imageUrlProblem,
} from "./image-url.ts";
export {
  DEFAULT_ISOLATE_BUDGET_BYTES,
  estimateIsolateFootprint,
  FOOTPRINT_CONSTANTS,
  type FootprintInput,
  type IsolateFootprint,
  overBudgetMessage,
} from "./isolate-footprint.ts";
export {
  ARTIFACT_NAMES,
  ArtifactEntry,
  ContentVectorPart,
  ContentVectors,
  kvKeys,
  Manifest,
  MODEL_NAMES,
  ModelEntry,
  Preprocessing,
  TensorSpec,
  VECTOR_TABLE_NAMES,
  WeightChoice,
} from "./manifest.ts";
export { ORIGIN_BATCH_PATHS, type OriginBatchKind, originEndpoint, REQUEST_ID_HEADER } from "./origin-api.ts";
export { plainInteraction } from "./plain-interaction.ts";
export {
  type KvBytesReader,
  type KvStreamReader,
  type PublishedBlob,
  PublishedBytesError,
  READ_BUFFER_BYTES,
  readPublishedBytes,
  readPublishedBytesInto,
} from "./published-bytes.ts";
export { sha256Hex } from "./sha256-hex.ts";
export {
  boundedNumber,
  isStorableText,
  nestingDepth,
  nestingProblem,
  STORABLE_TEXT_MESSAGE,
  storableString,
} from "./storable.ts";
export {
  DEFAULT_SURFACES,
  ItemFilters,
  RecommendationExploration,
  RerankWeights,
  SURFACE_LIMITS,
  SurfaceConfig,
  type SurfaceConfigInput,
  SurfaceExperiment,
  SurfaceExperimentArm,
  Surfaces,
} from "./surface.ts";
export {
  USER_FEATURE_LIMITS,
  USER_SHARD_FORMAT,
  USER_SHARD_HASH,
  UserFeatures,
  UserShardLayout,
} from "./user-features.ts";

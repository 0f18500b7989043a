export { ApiKeyRecord, hashApiKey } from "./api-key.ts";
export {
  AddToCartEvent,
  Attributes,
  ClickEvent,
  describeIssues,
  EVENT_LIMITS,
  EventContext,
  INTERACTION_TYPE_CODE,
  INTERACTION_TYPES,
  IngestRecord,
  type IngestRecordInput,
  InteractionEvent,
  type InteractionType,
  ItemRecord,
  isInteraction,
  PurchaseEvent,
  RatingEvent,
  RECORD_TYPES,
  type RecordType,
  ReviewEvent,
  UserRecord,
  ViewEvent,
} from "./event.ts";
export { ArtifactEntry, kvKeys, Manifest, ModelEntry, Preprocessing, TensorSpec } from "./manifest.ts";
export {
  DEFAULT_SURFACES,
  ItemFilters,
  RerankWeights,
  SURFACE_LIMITS,
  SurfaceConfig,
  type SurfaceConfigInput,
  Surfaces,
} from "./surface.ts";
export { USER_FEATURE_LIMITS, UserFeatures } from "./user-features.ts";

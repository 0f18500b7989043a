import type { InteractionEvent } from "../../models/contracts/index.ts";
import type { LearningLogMessage } from "../learning/learning-log.ts";

/** The Worker's bindings and variables, as declared (and documented) in wrangler.toml. */
export interface Env {
  /** Model bytes, manifests and hashed API keys. */
  MODELS: KVNamespace;
  /** User features (`user/<id>`). */
  FEATURES: KVNamespace;
  MANIFEST_TTL_SECONDS?: string;
  FEATURE_TTL_SECONDS?: string;
  FEATURE_CACHE_MAX_USERS?: string;
  CORS_ORIGINS?: string;
  REQUIRE_API_KEY?: string;
  BODY_TIMEOUT_SECONDS?: string;
  /**
   * Producer binding of the events queue, which also carries the learning loop's decision and reward
   * logs; optional (they are then posted to the origin directly).
   */
  EVENTS_QUEUE?: Queue<InteractionEvent | LearningLogMessage>;
  ORIGIN_URL?: string;
  /** Deprecated: use ORIGIN_URL. */
  ORIGIN_INGEST_URL?: string;
  /** Secret (`wrangler secret put ORIGIN_INGEST_KEY`), never in wrangler.toml. */
  ORIGIN_INGEST_KEY?: string;
  EVENTS_RETRY_BASE_SECONDS?: string;
  /**
   * Optional Vectorize index of the catalogue's item embeddings: when bound, personal candidates come
   * from it instead of the in-isolate kernel (worker/runtime/vectorize-candidates.ts).
   */
  VECTORIZE?: VectorizeIndex;
}

import type { InteractionEvent } from "../models/contracts/index.ts";

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
  /** Producer binding of the events queue; optional (POST /events then posts to the origin directly). */
  EVENTS_QUEUE?: Queue<InteractionEvent>;
  ORIGIN_INGEST_URL?: string;
  /** Secret (`wrangler secret put ORIGIN_INGEST_KEY`), never in wrangler.toml. */
  ORIGIN_INGEST_KEY?: string;
  EVENTS_RETRY_BASE_SECONDS?: string;
}

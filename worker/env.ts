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
}

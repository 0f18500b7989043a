/** The Worker's bindings and variables, as declared in wrangler.toml. */
export interface Env {
  /** Model bytes and manifests (`manifest/current`, `model/<name>/<version>/<chunk>`). */
  MODELS: KVNamespace;
  /** User features (`user/<id>`). */
  FEATURES: KVNamespace;
  /** Seconds the isolate keeps a manifest before reading KV again. */
  MANIFEST_TTL_SECONDS?: string;
}

import type { PackedEvents } from "../events/index.ts";
import type { LearningLogMessage } from "../learning/learning-log.ts";

/**
 * The Worker's bindings and variables. What wrangler.toml declares is generated from it by
 * `wrangler types` into worker/isolate/worker-configuration.d.ts (`npm run types`; CI fails when that file is
 * out of date, `npm run types:check`), as the global `Cloudflare.Env`. Added here, optional: the
 * bindings wrangler.toml ships commented out (opt-in) and the secret, which never appears there.
 */
export interface Env extends Cloudflare.Env {
  /**
   * Producer binding of the events queue (client events packed many to a message), which also carries
   * the learning loop's decision and reward logs; optional (they are then posted to the origin directly).
   */
  EVENTS_QUEUE?: Queue<PackedEvents | LearningLogMessage>;
  /** Workers Analytics Engine dataset for per-request figures; optional (nothing is written without it). */
  REQUEST_METRICS?: AnalyticsEngineDataset;
  /** Secret (`wrangler secret put ORIGIN_INGEST_KEY`), never in wrangler.toml. */
  ORIGIN_INGEST_KEY?: string;
  /**
   * Optional Vectorize index of the catalogue's item embeddings: when bound, personal candidates come
   * from it instead of the in-isolate kernel (worker/runtime/vectorize-candidates.ts).
   */
  VECTORIZE?: VectorizeIndex;
}

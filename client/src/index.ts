/** @edgewise/client: the edge's routes, the origin's ingestion, retries and an event batcher. */
export {
  type CallOptions,
  createEdgeClient,
  type EdgeClient,
  type EdgeClientOptions,
} from "./edge-client.ts";
export {
  createEventBatcher,
  type EventBatcher,
  type EventBatcherOptions,
  type TrackedEvent,
} from "./event-batcher.ts";
export { EdgewiseError } from "./http.ts";
export { createIngestClient, type IngestClient, type IngestClientOptions } from "./ingest-client.ts";
export { type RetryNotice, type RetryOptions, retryAfterMs, retryDelayMs } from "./retry.ts";
export type * from "./types.ts";

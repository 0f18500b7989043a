import type { CallOptions } from "./edge-client.ts";
import { requestJson, type Transport } from "./http.ts";
import { type RetryOptions, resolveRetry } from "./retry.ts";
import type { EventInput, IngestBatchResponse } from "./types.ts";

export interface IngestClientOptions {
  /** The origin's base URL, e.g. https://origin.example.com. */
  originUrl: string | URL;
  /** The origin's INGEST_API_KEY: a server-side secret, never for a browser. */
  ingestKey: string;
  retry?: RetryOptions;
  fetch?: typeof fetch;
}

export interface IngestClient {
  /**
   * POST /v1/events/batch: stores the valid records and reports the others by index. Retried on 429, 5xx
   * and network failures, as each record's event_id makes a resent batch store nothing twice.
   */
  sendBatch(records: readonly EventInput[], options?: CallOptions): Promise<IngestBatchResponse>;
}

/** A client for the origin's ingestion endpoint (server-side: back-office imports, server events). */
export function createIngestClient(options: IngestClientOptions): IngestClient {
  const transport: Transport = {
    fetch: options.fetch ?? ((input, init) => fetch(input, init)),
    retry: resolveRetry(options.retry),
  };
  const url = new URL("/v1/events/batch", options.originUrl).href;
  const headers = { authorization: `Bearer ${options.ingestKey}` };
  return {
    sendBatch: (records, call = {}) =>
      requestJson(transport, { method: "POST", url, headers, body: records, idempotent: true, ...call }),
  };
}

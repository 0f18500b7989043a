/**
 * The origin app over real stores (in-memory PGlite, raw payloads in its JSONB tables), with small limits
 * so the limit paths are cheap to reach, and a helper that sends a batch.
 */
import { gzipSync } from "node:zlib";
import type { OpenAPIHono } from "@hono/zod-openapi";
import {
  createPostgresJsonbRawPayloadStore,
  type RawPayloadStore,
} from "../../../origin/ingest/raw/index.ts";
import {
  createSqlEventStore,
  type EventStore,
  openPgliteDatabase,
  type SqlClient,
} from "../../../origin/ingest/store/index.ts";
import { createLearningStore, type LearningStore } from "../../../origin/learn/index.ts";
import type { Logger } from "../../../origin/log.ts";
import { createOriginApp, type OriginAppDeps } from "../../../origin/server/index.ts";

export const TEST_API_KEY = "test-ingest-key-0123456789";
export const TEST_LIMITS = {
  maxBodyBytes: 256 * 1024,
  maxDecompressedBytes: 1024 * 1024,
  maxEventsPerBatch: 500,
};

export interface TestOrigin {
  app: OpenAPIHono;
  eventStore: EventStore;
  rawStore: RawPayloadStore;
  /** The decision and reward logs and the learning state, in the same database. */
  learningStore: LearningStore;
  /** The database underneath, for assertions no store method answers. */
  sql: SqlClient;
  close(): Promise<void>;
}

export async function startTestOrigin(
  wrapEventStore?: (store: EventStore) => EventStore,
  ingest: Partial<OriginAppDeps["ingest"]> = {},
  options: { log?: Logger } = {},
): Promise<TestOrigin> {
  const database = await openPgliteDatabase();
  await database.migrate();
  const realStore = createSqlEventStore(database);
  const eventStore = wrapEventStore ? wrapEventStore(realStore) : realStore;
  const rawStore = createPostgresJsonbRawPayloadStore(database.sql);
  const learningStore = createLearningStore(database.sql);
  const app = createOriginApp({
    eventStore,
    rawStore,
    learningStore,
    ...options,
    ingest: { apiKey: TEST_API_KEY, ...TEST_LIMITS, ...ingest },
  });
  return { app, eventStore, rawStore, learningStore, sql: database.sql, close: () => realStore.close() };
}

export interface SendOptions {
  format?: "json" | "ndjson";
  gzip?: boolean;
  headers?: Record<string, string>;
  /** Send this exact body instead of serialising `records`. */
  rawBody?: string | Uint8Array;
}

export async function sendBatch(
  app: OpenAPIHono,
  records: unknown[],
  options: SendOptions = {},
): Promise<Response> {
  const format = options.format ?? "json";
  let body: string | Uint8Array =
    options.rawBody ??
    (format === "json"
      ? JSON.stringify(records)
      : records.map((record) => JSON.stringify(record)).join("\n"));
  const headers: Record<string, string> = {
    "content-type": format === "json" ? "application/json" : "application/x-ndjson",
    authorization: `Bearer ${TEST_API_KEY}`,
  };
  if (options.gzip) {
    body = gzipSync(body);
    headers["content-encoding"] = "gzip";
  }
  return app.request("/v1/events/batch", {
    method: "POST",
    headers: { ...headers, ...options.headers },
    body: typeof body === "string" ? body : new Uint8Array(body),
  });
}

export { RAW_PAYLOAD_MAX_DEPTH, TRUNCATED_MARKER } from "./awkward-json.ts";
export { createMongoRawPayloadStore, type MongoRawPayloadStoreOptions } from "./mongodb.ts";
export { createPostgresJsonbRawPayloadStore } from "./postgres-jsonb.ts";
export type {
  ItemDocument,
  RawPayload,
  RawPayloadBatch,
  RawPayloadStore,
  RawPayloadStoreBackend,
} from "./raw-payload-store.ts";

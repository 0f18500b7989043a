export { createMongoRawPayloadStore, type MongoRawPayloadStoreOptions } from "./mongodb.ts";
export { createPostgresJsonbRawPayloadStore } from "./postgres-jsonb.ts";
export type {
  ItemDocument,
  RawPayload,
  RawPayloadBatch,
  RawPayloadStore,
  RawPayloadStoreBackend,
} from "./raw-payload-store.ts";

export * from "./files/index.ts";
export { requireApiKey } from "./http/api-key.ts";
export { type BatchResult, type IngestDeps, ingestBatch } from "./http/ingest-batch.ts";
export { type BatchFormat, batchFormat, type ParsedRecord, parseBatch } from "./http/parse-batch.ts";
export { type BodyLimits, readBodyText } from "./http/read-body.ts";
export { BatchResultBody, ErrorBody, HealthBody, LearningBatchResultBody } from "./http/schemas.ts";
export { storeUnavailable } from "./http/store-unavailable.ts";
export { type IngestFileOptions, type IngestSummary, ingestFile } from "./ingest-file.ts";
export { splitJsonArray } from "./json-array-splitter.ts";
export {
  detectFileFormat,
  openRecordSource,
  type RecordSource,
  type RecordSourceOptions,
  type SourceProgress,
} from "./open-record-source.ts";
export { type OriginStores, openOriginStores } from "./open-stores.ts";
export * from "./raw/index.ts";
export { FILE_FORMATS, type FileFormat, readRecords } from "./record-sources.ts";
export * from "./store/index.ts";
export { PgliteLockedError } from "./store/pglite-lock.ts";

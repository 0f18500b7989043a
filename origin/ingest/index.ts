export { detectFileFormat, type IngestFileOptions, type IngestSummary, ingestFile } from "./ingest-file.ts";
export { splitJsonArray } from "./json-array-splitter.ts";
export { FILE_FORMATS, type FileFormat, readRecords, type SourceItem } from "./record-sources.ts";

export { type CsvOptions, type CsvRow, readCsvInteractions, readCsvRows } from "./csv-rows.ts";
export {
  EPOCH_MS_FROM,
  type EventTimeOptions,
  parseEventTime,
  TIME_FORMATS,
  type TimeFormat,
} from "./event-time.ts";
export { FileReadError } from "./file-read-error.ts";
export {
  type ColumnMapping,
  interactionRowMapper,
  type MappedInteraction,
  type MappedRow,
  MOVIELENS_MAPPING,
  mappedColumns,
  VALUE_KINDS,
  type ValueKind,
} from "./interaction-columns.ts";
export {
  firstLine,
  type InteractionFileOptions,
  movieLensMappingFor,
  readInteractionFile,
  type TableFormat,
  tableFormatOf,
} from "./interaction-file.ts";
export {
  defaultEventType,
  eventTypeProblem,
  MAPPED_EVENT_TYPES,
  type MappedEventType,
  type MappedRecordOptions,
  mappedRecord,
  mappedRecords,
  type RecordItem,
  type SourceItem,
} from "./mapped-records.ts";
export {
  openParquetFile,
  type ParquetFile,
  readParquetInteractions,
  rowGroupRanges,
} from "./parquet-rows.ts";
export { rowEventId } from "./row-event-id.ts";
export { readSegmentRecords, type SegmentOptions } from "./segment-events.ts";

/**
 * Opens a file as a stream of records in the format named (or told by its name): Edgewise's own NDJSON and
 * JSON arrays, MovieLens ratings, and the foreign formats `edgewise import` reads (column-mapped CSV and
 * Parquet, Segment / RudderStack JSON lines). Each item is a record, a row that cannot be one (with its
 * reason and line), or a row that is deliberately not imported (with why).
 */
import { createReadStream } from "node:fs";
import { open, stat } from "node:fs/promises";
import { basename } from "node:path";
import {
  type ColumnMapping,
  type CsvOptions,
  FileReadError,
  type MappedEventType,
  mappedRecords,
  openParquetFile,
  readCsvInteractions,
  readParquetInteractions,
  readSegmentRecords,
  type SourceItem,
  tableFormatOf,
} from "./files/index.ts";
import { type FileFormat, formatFromName, readRecords } from "./record-sources.ts";

/** How far a source has read: bytes of a text file, or rows of a Parquet file. */
export interface SourceProgress {
  done: number;
  total: number;
  unit: "bytes" | "rows";
}

export interface RecordSource {
  format: FileFormat;
  sizeBytes: number;
  items: AsyncIterable<SourceItem>;
  progress(): SourceProgress;
}

export interface RecordSourceOptions {
  /** Default: from the file name (and first character for .json). */
  format?: FileFormat;
  /** The column mapping: required for csv and parquet. */
  mapping?: ColumnMapping;
  /** csv and parquet: the event type rows become (default from the value kind). */
  eventType?: MappedEventType;
  /** csv, parquet and segment: the records' `source` (default `import`, `segment`). */
  source?: string;
  csv?: CsvOptions;
}

async function firstNonSpaceChar(path: string): Promise<string | undefined> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(4096), 0, 4096, 0);
    return buffer.subarray(0, bytesRead).toString("utf8").trimStart()[0];
  } finally {
    await handle.close();
  }
}

export async function detectFileFormat(path: string): Promise<FileFormat> {
  const format = formatFromName(basename(path), await firstNonSpaceChar(path));
  if (format === null) {
    throw new FileReadError(`cannot tell the format of ${path} from its name; pass --format`);
  }
  return format;
}

function needsMapping(options: RecordSourceOptions): ColumnMapping {
  if (options.mapping === undefined) {
    throw new FileReadError("csv and parquet need a column mapping (--user-col, --item-col, --time-col)");
  }
  return options.mapping;
}

export async function openRecordSource(
  path: string,
  options: RecordSourceOptions = {},
): Promise<RecordSource> {
  const sizeBytes = await stat(path).then(
    (stats) => stats.size,
    (error: Error) => {
      throw new FileReadError(`cannot read ${path}: ${error.message}`, { cause: error });
    },
  );
  const format = options.format ?? (await detectFileFormat(path));
  if (format === "parquet") {
    const mapping = needsMapping(options);
    const parquet = await openParquetFile(path);
    const total = parquet.rows;
    let done = 0;
    const counted = async function* () {
      for await (const row of readParquetInteractions(parquet, mapping)) {
        done++;
        yield row;
      }
    };
    return {
      format,
      sizeBytes,
      items: mappedRecords(counted(), { ...options, mapping }),
      progress: () => ({ done, total, unit: "rows" }),
    };
  }
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  let done = 0;
  input.on("data", (chunk) => {
    done += chunk.length;
  });
  const progress = (): SourceProgress => ({
    done: Math.min(done, sizeBytes),
    total: sizeBytes,
    unit: "bytes",
  });
  if (format === "csv") {
    const mapping = needsMapping(options);
    const csv = { delimiter: tableFormatOf(path).delimiter, ...options.csv };
    return {
      format,
      sizeBytes,
      items: mappedRecords(readCsvInteractions(input, mapping, csv), { ...options, mapping }),
      progress,
    };
  }
  if (format === "segment") {
    return { format, sizeBytes, items: readSegmentRecords(input, { source: options.source }), progress };
  }
  return { format, sizeBytes, items: readRecords(input, format), progress };
}

/**
 * One door for a table of interactions on disk, whatever its format: CSV (or TSV) through csv-parse,
 * Parquet through hyparquet, both with the same column mapping and the same per-row results.
 */
import { createReadStream } from "node:fs";
import { open } from "node:fs/promises";
import { type CsvOptions, readCsvInteractions } from "./csv-rows.ts";
import { type ColumnMapping, type MappedRow, MOVIELENS_MAPPING } from "./interaction-columns.ts";
import { readParquetInteractions } from "./parquet-rows.ts";

export type TableFormat = "csv" | "parquet";

/** `.parquet` / `.pq` files are Parquet, anything else CSV (tab-separated for `.tsv` and `.tab`). */
export function tableFormatOf(path: string): { format: TableFormat; delimiter?: string } {
  const name = path.toLowerCase();
  if (name.endsWith(".parquet") || name.endsWith(".pq")) {
    return { format: "parquet" };
  }
  return name.endsWith(".tsv") || name.endsWith(".tab")
    ? { format: "csv", delimiter: "\t" }
    : { format: "csv" };
}

export interface InteractionFileOptions extends CsvOptions {
  /** Default: from the file name (tableFormatOf). */
  format?: TableFormat;
}

/** Mapped interactions of a CSV or Parquet file, one result per data row, in file order. */
export function readInteractionFile(
  path: string,
  mapping: ColumnMapping,
  options: InteractionFileOptions = {},
): AsyncGenerator<MappedRow> {
  const named = tableFormatOf(path);
  const format = options.format ?? named.format;
  if (format === "parquet") {
    return readParquetInteractions(path, mapping);
  }
  const input = createReadStream(path, { highWaterMark: 1024 * 1024 });
  return readCsvInteractions(input, mapping, { ...options, delimiter: options.delimiter ?? named.delimiter });
}

/** The first line of a text file (up to 64 KiB), for telling a known header apart. */
export async function firstLine(path: string): Promise<string> {
  const handle = await open(path, "r");
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(65_536), 0, 65_536, 0);
    return (
      buffer
        .subarray(0, bytesRead)
        .toString("utf8")
        .replace(/^\uFEFF/, "")
        .split(/\r?\n/, 1)[0] ?? ""
    );
  } finally {
    await handle.close();
  }
}

/** MOVIELENS_MAPPING when a CSV header names MovieLens's rating columns, else null. */
export function movieLensMappingFor(headerLine: string): ColumnMapping | null {
  const names = headerLine.split(",").map((name) => name.trim().replace(/^"(.*)"$/, "$1"));
  const { userCol, itemCol, valueCol } = MOVIELENS_MAPPING;
  return [userCol, itemCol, valueCol].every((name) => names.includes(name!))
    ? { ...MOVIELENS_MAPPING, timeCol: names.includes("timestamp") ? "timestamp" : undefined }
    : null;
}

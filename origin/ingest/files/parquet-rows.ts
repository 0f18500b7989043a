/**
 * Parquet read with hyparquet (pure JavaScript; every codec through hyparquet-compressors), one row group
 * at a time so memory stays bounded by the largest group, and only the mapped columns decoded. Rows are
 * numbered from 1 in file order, and a bad row is reported with that number.
 */
import {
  asyncBufferFromFile,
  type FileMetaData,
  parquetMetadataAsync,
  parquetRead,
  parquetSchema,
} from "hyparquet";
import { compressors } from "hyparquet-compressors";
import { FileReadError } from "./file-read-error.ts";
import {
  type ColumnMapping,
  interactionRowMapper,
  type MappedRow,
  mappedColumns,
} from "./interaction-columns.ts";

export interface ParquetFile {
  metadata: FileMetaData;
  /** The top-level column names. */
  columns: string[];
  rows: number;
  read(options: {
    columns: string[];
    rowStart: number;
    rowEnd: number;
  }): Promise<Map<string, ArrayLike<unknown>>>;
}

/** Opens a Parquet file by its footer; FileReadError when it is not one. */
export async function openParquetFile(path: string): Promise<ParquetFile> {
  const file = await asyncBufferFromFile(path);
  let metadata: FileMetaData;
  try {
    metadata = await parquetMetadataAsync(file);
  } catch (error) {
    throw new FileReadError(`${path} is not a Parquet file: ${(error as Error).message}`, { cause: error });
  }
  const columns = parquetSchema(metadata).children.map((child) => child.element.name);
  return {
    metadata,
    columns,
    rows: Number(metadata.num_rows),
    async read({ columns: wanted, rowStart, rowEnd }) {
      const data = new Map<string, unknown[]>(wanted.map((name) => [name, new Array(rowEnd - rowStart)]));
      await parquetRead({
        file,
        metadata,
        compressors,
        columns: wanted,
        rowStart,
        rowEnd,
        onChunk(chunk) {
          const target = data.get(chunk.columnName);
          if (target === undefined) {
            return;
          }
          // A chunk may start before rowStart (a row group read whole): keep the rows asked for.
          for (let r = Math.max(chunk.rowStart, rowStart); r < Math.min(chunk.rowEnd, rowEnd); r++) {
            target[r - rowStart] = chunk.columnData[r - chunk.rowStart];
          }
        },
      });
      return data;
    },
  };
}

/** [start, end) row ranges, one per row group, in file order. */
export function rowGroupRanges(metadata: FileMetaData): Array<{ rowStart: number; rowEnd: number }> {
  const ranges: Array<{ rowStart: number; rowEnd: number }> = [];
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    ranges.push({ rowStart: start, rowEnd: end });
    start = end;
  }
  return ranges;
}

/**
 * Mapped interactions of a Parquet file (a path, or a file already opened), a row group at a time, in file
 * order. Throws FileReadError
 * when the file is not Parquet or lacks a mapped column, before any row.
 */
export async function* readParquetInteractions(
  file: string | ParquetFile,
  mapping: ColumnMapping,
): AsyncGenerator<MappedRow> {
  const parquet = typeof file === "string" ? await openParquetFile(file) : file;
  const map = interactionRowMapper(mapping, parquet.columns);
  const wanted = mappedColumns(mapping);
  const positions = wanted.map((name) => parquet.columns.indexOf(name));
  // One cells array reused for every row: the mapper reads it and keeps nothing.
  const cells: unknown[] = new Array(parquet.columns.length);
  for (const range of rowGroupRanges(parquet.metadata)) {
    const data = await parquet.read({ columns: wanted, ...range });
    const columns = wanted.map((name) => data.get(name)!);
    for (let r = 0; r < range.rowEnd - range.rowStart; r++) {
      for (let c = 0; c < columns.length; c++) {
        cells[positions[c]!] = columns[c]![r];
      }
      yield map(cells, range.rowStart + r + 1);
    }
  }
}

import { type BasicType, parquetWriteFile } from "hyparquet-writer";

/** Writes a Parquet fixture from named columns, each its values and Parquet type, in row groups of `rowGroupSize`. */
export function writeParquetTable(
  path: string,
  columns: Record<string, [data: unknown[], type: BasicType]>,
  rowGroupSize?: number,
): void {
  parquetWriteFile({
    filename: path,
    columnData: Object.entries(columns).map(([name, [data, type]]) => ({ name, data, type })),
    ...(rowGroupSize === undefined ? {} : { rowGroupSize }),
  });
}

/**
 * Factor files as engines past one machine write them, read into one float32 table:
 *
 * - Parquet with an id column and the vector either as one list column (Spark ALS `userFactors` /
 *   `itemFactors`: `id` and `features` array<float>) or as columns `f0` … `fN-1`. The id column is
 *   `user_id` / `item_id` (Edgewise ids, as the join in docs/spark-als-handoff.md writes them), else
 *   `user_index` / `item_index`, else `id`: a string `id` is an Edgewise id, an integer one (Spark's
 *   `id` without the join) is a row of export-interactions' id file.
 * - NPY (float32 or float64, C order, two dimensions): row r is index r of the export's id file, as
 *   Python `implicit` saves `user_factors` / `item_factors`.
 * - A folder of Parquet parts, as Spark's `df.write.parquet(path)` leaves one: its `*.parquet` files in
 *   name order, read as one table.
 *
 * Rows are read as they are; which ones are usable (finite, of the table's width, named once, known to
 * the store) is the validation's call (align-factors.ts), so one bad row never costs the others.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import { FileReadError, openParquetFile, type ParquetFile, rowGroupRanges } from "../../ingest/index.ts";

export type FactorSide = "user" | "item";

export interface FactorTable {
  file: string;
  /** Edgewise ids, or rows of the export's id file (`index`); null where a row names none. */
  keys: { kind: "id"; ids: (string | null)[] } | { kind: "index"; indices: (number | null)[] };
  rows: number;
  /** The vector width: the first row's (list layout), the `f` columns' count, or the NPY's columns. */
  dim: number;
  /** rows × dim, row-major; a malformed row's slots are NaN. */
  values: Float32Array;
  /** Per row: 1 when its vector is missing or has another width than `dim`. */
  malformed: Uint8Array;
}

export async function readFactorFile(file: string, side: FactorSide): Promise<FactorTable> {
  const entry = await stat(file).catch(() => null);
  if (entry === null) {
    throw new FileReadError(`${file}: no such file or folder`);
  }
  if (file.toLowerCase().endsWith(".npy")) {
    return readNpyFactors(file);
  }
  const table = entry.isDirectory()
    ? await readParquetFolder(file, side)
    : await readParquetFactors(file, side);
  if (table.dim <= 0) {
    throw new FileReadError(`${file}: no row has a factor vector`);
  }
  return table;
}

async function readParquetFolder(file: string, side: FactorSide): Promise<FactorTable> {
  const parts = (await readdir(file)).filter((name) => name.endsWith(".parquet")).sort();
  if (parts.length === 0) {
    throw new FileReadError(`${file}: a folder without .parquet files`);
  }
  const tables: FactorTable[] = [];
  for (const part of parts) {
    const table = await readParquetFactors(path.join(file, part), side);
    // Spark writes a part per task, empty ones included.
    if (table.rows > 0) {
      tables.push(table);
    }
  }
  if (tables.length === 0) {
    throw new FileReadError(`${file}: its .parquet parts hold no rows`);
  }
  return concatTables(file, tables);
}

/** One table from a folder's parts: of one width and one kind of key, rows in part order. */
function concatTables(file: string, tables: readonly FactorTable[]): FactorTable {
  const first = tables[0]!;
  const odd = tables.find((t) => t.dim !== first.dim || t.keys.kind !== first.keys.kind);
  if (odd !== undefined) {
    throw new FileReadError(
      `${file}: its parts differ: ${first.file} has ${first.dim}-wide vectors keyed by ${first.keys.kind}, ` +
        `${odd.file} ${odd.dim}-wide keyed by ${odd.keys.kind}`,
    );
  }
  const rows = tables.reduce((n, t) => n + t.rows, 0);
  const values = new Float32Array(rows * first.dim);
  const malformed = new Uint8Array(rows);
  let at = 0;
  for (const t of tables) {
    values.set(t.values, at * first.dim);
    malformed.set(t.malformed, at);
    at += t.rows;
  }
  const keys: FactorTable["keys"] =
    first.keys.kind === "id"
      ? { kind: "id", ids: tables.flatMap((t) => (t.keys.kind === "id" ? t.keys.ids : [])) }
      : { kind: "index", indices: tables.flatMap((t) => (t.keys.kind === "index" ? t.keys.indices : [])) };
  return { file, keys, rows, dim: first.dim, values, malformed };
}

const WIDE_COLUMN = /^f(\d+)$/;

function idColumn(
  parquet: ParquetFile,
  side: FactorSide,
  file: string,
): { name: string; kind: "id" | "index" } {
  const byName = new Map(parquet.metadata.schema.slice(1).map((element) => [element.name, element] as const));
  for (const name of [`${side}_id`, `${side}_index`, "id"]) {
    const element = byName.get(name);
    if (element?.type === undefined) {
      continue;
    }
    const integer = element.type === "INT32" || element.type === "INT64";
    return { name, kind: name === `${side}_id` || !integer ? "id" : "index" };
  }
  throw new FileReadError(
    `${file}: no id column (${side}_id, ${side}_index or id) among ${parquet.columns.join(", ")}`,
  );
}

/** The vector's columns: one list column, or f0 … fN-1 in order. */
function vectorColumns(parquet: ParquetFile, file: string): { list: string } | { wide: string[] } {
  const list = parquet.metadata.schema.find(
    (element) => element.converted_type === "LIST" || element.logical_type?.type === "LIST",
  );
  if (list !== undefined && parquet.columns.includes(list.name)) {
    return { list: list.name };
  }
  const wide = parquet.columns
    .map((name) => WIDE_COLUMN.exec(name))
    .filter((match) => match !== null)
    .map((match) => Number(match[1]))
    .sort((a, b) => a - b);
  if (wide.length === 0 || wide.some((n, position) => n !== position)) {
    throw new FileReadError(
      `${file}: no factor vector: expected a list column (Spark's features) or columns f0 … fN-1, found ${parquet.columns.join(", ")}`,
    );
  }
  return { wide: wide.map((n) => `f${n}`) };
}

async function readParquetFactors(file: string, side: FactorSide): Promise<FactorTable> {
  const parquet = await openParquetFile(file);
  const id = idColumn(parquet, side, file);
  const vector = vectorColumns(parquet, file);
  const rows = parquet.rows;
  const keys: (string | number | null)[] = new Array(rows);
  const malformed = new Uint8Array(rows);
  let dim = "wide" in vector ? vector.wide.length : -1;
  let values = new Float32Array(dim > 0 ? rows * dim : 0);
  const columns = [id.name, ...("wide" in vector ? vector.wide : [vector.list])];
  for (const range of rowGroupRanges(parquet.metadata)) {
    const data = await parquet.read({ columns, ...range });
    const ids = data.get(id.name)!;
    for (let r = range.rowStart; r < range.rowEnd; r++) {
      const key = ids[r - range.rowStart];
      keys[r] = key === null || key === undefined ? null : id.kind === "id" ? String(key) : Number(key);
    }
    if ("wide" in vector) {
      vector.wide.forEach((name, a) => {
        const column = data.get(name)!;
        for (let r = range.rowStart; r < range.rowEnd; r++) {
          const v = column[r - range.rowStart];
          values[r * dim + a] = typeof v === "number" ? v : Number.NaN;
        }
      });
      continue;
    }
    const lists = data.get(vector.list)!;
    for (let r = range.rowStart; r < range.rowEnd; r++) {
      const list = lists[r - range.rowStart];
      if (dim < 0 && Array.isArray(list) && list.length > 0) {
        dim = list.length;
        values = new Float32Array(rows * dim).fill(Number.NaN);
      }
      if (!Array.isArray(list) || list.length !== dim) {
        malformed[r] = 1;
        continue;
      }
      for (let a = 0; a < dim; a++) {
        const v = list[a];
        values[r * dim + a] = typeof v === "number" ? v : Number.NaN;
      }
    }
  }
  return {
    file,
    keys:
      id.kind === "id"
        ? { kind: "id", ids: keys as (string | null)[] }
        : { kind: "index", indices: keys as (number | null)[] },
    rows,
    dim: Math.max(dim, 0),
    values,
    malformed,
  };
}

/** NPY format 1.0–3.0 (numpy.lib.format): magic, version, header length, a Python dict literal, the data. */
async function readNpyFactors(file: string): Promise<FactorTable> {
  const bytes = await readFile(file);
  if (bytes.length < 10 || bytes[0] !== 0x93 || bytes.toString("latin1", 1, 6) !== "NUMPY") {
    throw new FileReadError(`${file} is not an NPY file`);
  }
  const major = bytes[6]!;
  const headerLength = major === 1 ? bytes.readUInt16LE(8) : bytes.readUInt32LE(8);
  const headerStart = major === 1 ? 10 : 12;
  const header = bytes.toString("latin1", headerStart, headerStart + headerLength);
  const descr = /'descr':\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order':\s*(True|False)/.exec(header)?.[1];
  const shape = /'shape':\s*\((\d+),\s*(\d+),?\s*\)/.exec(header);
  if ((descr !== "<f4" && descr !== "<f8") || fortran !== "False" || shape === null) {
    throw new FileReadError(
      `${file}: expected a two-dimensional float32 or float64 matrix in C order, found ${header.trim()}`,
    );
  }
  const rows = Number(shape[1]);
  const dim = Number(shape[2]);
  const start = headerStart + headerLength;
  const width = descr === "<f4" ? 4 : 8;
  if (bytes.length - start < rows * dim * width) {
    throw new FileReadError(`${file}: ${rows} × ${dim} values announced, the file is shorter`);
  }
  const values = new Float32Array(rows * dim);
  for (let v = 0; v < values.length; v++) {
    values[v] = width === 4 ? bytes.readFloatLE(start + v * 4) : bytes.readDoubleLE(start + v * 8);
  }
  return {
    file,
    keys: { kind: "index", indices: Array.from({ length: rows }, (_, r) => r) },
    rows,
    dim,
    values,
    malformed: new Uint8Array(rows),
  };
}

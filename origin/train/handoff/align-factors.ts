/**
 * A factor table's rows put in the store's order: row r of the result is the vector of the store's r-th
 * user (or item), zero where the file has none. A row the file gets wrong is left out and counted by
 * reason (no id, a width other than the table's, a value that is NaN or infinite, an id named twice, an
 * id the store does not know); the good rows beside it are kept. An id named twice is left out every
 * time: which of its vectors the engine meant cannot be told.
 */
import type { FactorTable } from "./read-factor-file.ts";

export const SKIP_REASONS = {
  noId: "no id",
  malformed: "vector missing or of another width",
  notFinite: "NaN or infinite value",
  duplicate: "id named more than once",
  outsideExport: "index outside the export's id file",
  unknown: "id unknown to the store",
} as const;

export interface AlignedFactors {
  /** storeIds.length × dim, row-major; zero rows for entries without a vector. */
  values: Float32Array;
  /** Per store entry: 1 when the file gave it a vector. */
  covered: Uint8Array;
  /** Rows used. */
  imported: number;
  /** Rows left out, by reason (SKIP_REASONS). */
  skipped: Record<string, number>;
}

/**
 * @param storeIds the store's ids in the run's dense order
 * @param exportIds export-interactions' id file (index → id); required for a table keyed by index
 */
export function alignFactors(
  table: FactorTable,
  storeIds: readonly string[],
  exportIds: readonly string[] | null,
): AlignedFactors {
  if (table.keys.kind === "index" && exportIds === null) {
    throw new Error(`${table.file} names rows by index: the export's id file is needed to map them`);
  }
  const { dim, rows } = table;
  const skipped: Record<string, number> = {};
  const skip = (reason: string) => {
    skipped[reason] = (skipped[reason] ?? 0) + 1;
  };
  const ids = rowIds(table, exportIds);
  const timesNamed = new Map<string, number>();
  for (const id of ids) {
    if (typeof id === "string") {
      timesNamed.set(id, (timesNamed.get(id) ?? 0) + 1);
    }
  }
  const position = new Map(storeIds.map((id, r) => [id, r]));
  const values = new Float32Array(storeIds.length * dim);
  const covered = new Uint8Array(storeIds.length);
  let imported = 0;
  for (let r = 0; r < rows; r++) {
    const id = ids[r]!;
    if (id === null) {
      skip(SKIP_REASONS.noId);
      continue;
    }
    if (id === undefined) {
      skip(SKIP_REASONS.outsideExport);
      continue;
    }
    if (table.malformed[r] === 1) {
      skip(SKIP_REASONS.malformed);
      continue;
    }
    const vector = table.values.subarray(r * dim, (r + 1) * dim);
    if (!vector.every(Number.isFinite)) {
      skip(SKIP_REASONS.notFinite);
      continue;
    }
    if (timesNamed.get(id)! > 1) {
      skip(SKIP_REASONS.duplicate);
      continue;
    }
    const at = position.get(id);
    if (at === undefined) {
      skip(SKIP_REASONS.unknown);
      continue;
    }
    values.set(vector, at * dim);
    covered[at] = 1;
    imported++;
  }
  return { values, covered, imported, skipped };
}

/** Each row's id: null when the row names none, undefined when its index is outside the export's id file. */
function rowIds(table: FactorTable, exportIds: readonly string[] | null): (string | null | undefined)[] {
  if (table.keys.kind === "id") {
    return table.keys.ids;
  }
  return table.keys.indices.map((index) => (index === null ? null : exportIds![index]));
}

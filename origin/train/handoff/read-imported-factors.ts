/**
 * The two factor files of an import, checked as a pair before any run starts: both readable, of one
 * width, and, when either names its rows by index (NPY, Spark's `id` without the join), the id files of
 * the export the engine trained on to map them. A file-level problem is a FileReadError, printed as one
 * line; row-level problems are the alignment's (align-factors.ts), counted and skipped.
 */
import path from "node:path";
import { FileReadError, openParquetFile } from "../../ingest/index.ts";
import { EXPORT_FILES } from "./export-interactions.ts";
import type { ImportedFactors } from "./imported-recommender.ts";
import { type FactorSide, readFactorFile } from "./read-factor-file.ts";

export interface FactorFiles {
  users: string;
  items: string;
  /** The export-interactions folder, whose users.parquet and items.parquet map row indices to ids. */
  handoffDir?: string;
}

export async function readImportedFactors(files: FactorFiles): Promise<ImportedFactors> {
  const users = await readFactorFile(files.users, "user");
  const items = await readFactorFile(files.items, "item");
  if (users.dim !== items.dim) {
    throw new FileReadError(
      `the factors differ in width: ${users.dim} in ${files.users}, ${items.dim} in ${files.items}; ` +
        "user and item vectors must come from one model",
    );
  }
  if (users.keys.kind === "id" && items.keys.kind === "id") {
    return { users, items };
  }
  if (files.handoffDir === undefined) {
    const byIndex = [users, items].filter((table) => table.keys.kind === "index").map((t) => t.file);
    throw new FileReadError(
      `${byIndex.join(" and ")} name rows by index, not by id: give --handoff DIR, the export-interactions ` +
        "folder the factors were fitted on, to map the indices to ids",
    );
  }
  return {
    users,
    items,
    exportIds: {
      users: await readExportIds(path.join(files.handoffDir, EXPORT_FILES.users), "user"),
      items: await readExportIds(path.join(files.handoffDir, EXPORT_FILES.items), "item"),
    },
  };
}

/** An export id file as index → id. */
async function readExportIds(file: string, side: FactorSide): Promise<string[]> {
  const parquet = await openParquetFile(file);
  const index = `${side}_index`;
  const id = `${side}_id`;
  if (!parquet.columns.includes(index) || !parquet.columns.includes(id)) {
    throw new FileReadError(`${file}: expected columns ${index} and ${id} (an export-interactions id file)`);
  }
  const columns = await parquet.read({ columns: [index, id], rowStart: 0, rowEnd: parquet.rows });
  const indices = columns.get(index)!;
  const ids = columns.get(id)!;
  const byIndex: string[] = [];
  for (let r = 0; r < parquet.rows; r++) {
    byIndex[Number(indices[r])] = String(ids[r]);
  }
  return byIndex;
}

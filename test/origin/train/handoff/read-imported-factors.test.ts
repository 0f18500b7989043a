/**
 * Factor files as engines write them, read and aligned to the store's ids: NPY (as Python implicit saves
 * its factors, rows by the export's index), Spark's userFactors without the join (an integer id), and the
 * rows an engine can get wrong, each counted and skipped while the rows beside it are kept.
 */
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { parquetWriteFile } from "hyparquet-writer";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { alignFactors } from "../../../../origin/train/handoff/align-factors.ts";
import { readImportedFactors } from "../../../../origin/train/index.ts";
import { writeParquetTable } from "../../support/parquet-table.ts";

let dir: string;

/** An NPY 1.0 file of a C-order matrix, as numpy.save writes one. */
async function writeNpy(file: string, rows: number[][], descr: "<f4" | "<f8"): Promise<void> {
  const dim = rows[0]!.length;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${rows.length}, ${dim}), }`;
  header = `${header.padEnd(Math.ceil((header.length + 11) / 64) * 64 - 11, " ")}\n`;
  const prefix = Buffer.alloc(10);
  prefix[0] = 0x93;
  prefix.write("NUMPY", 1, "latin1");
  prefix[6] = 1;
  prefix.writeUInt16LE(header.length, 8);
  const values = descr === "<f4" ? Float32Array.from(rows.flat()) : Float64Array.from(rows.flat());
  await writeFile(file, Buffer.concat([prefix, Buffer.from(header, "latin1"), Buffer.from(values.buffer)]));
}

/** A Spark-style factor file: an id column and `features` as a list of floats. */
function writeListFactors(file: string, idName: string, ids: unknown[], vectors: (number[] | null)[]): void {
  parquetWriteFile({
    filename: file,
    columnData: [
      { name: idName, data: ids },
      { name: "features", data: vectors },
    ],
    schema: [
      { name: "spark_schema", num_children: 2 },
      typeof ids.find((id) => id !== null) === "number"
        ? { name: idName, type: "INT32", repetition_type: "OPTIONAL" }
        : { name: idName, type: "BYTE_ARRAY", converted_type: "UTF8", repetition_type: "OPTIONAL" },
      { name: "features", repetition_type: "OPTIONAL", converted_type: "LIST", num_children: 1 },
      { name: "list", repetition_type: "REPEATED", num_children: 1 },
      { name: "element", type: "FLOAT", repetition_type: "OPTIONAL" },
    ],
  });
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgewise-factor-files-"));
  // Items as columns f0 … fN-1, written out of order.
  writeParquetTable(join(dir, "wide-items.parquet"), {
    item_id: [["lamp"], "STRING"],
    f1: [[0.5], "FLOAT"],
    f0: [[0.25], "FLOAT"],
  });
  // export-interactions' id files: user_index 0 … 2, item_index 0 … 1
  writeParquetTable(join(dir, "users.parquet"), {
    user_index: [[0, 1, 2], "INT32"],
    user_id: [["ann", "bob", "cid"], "STRING"],
  });
  writeParquetTable(join(dir, "items.parquet"), {
    item_index: [[0, 1], "INT32"],
    item_id: [["lamp", "sofa"], "STRING"],
  });
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe("import-factors files", () => {
  it("maps NPY rows (float32 and float64) through the export's id files", async () => {
    await writeNpy(
      join(dir, "users.npy"),
      [
        [1, 2],
        [3, 4],
        [5, 6],
      ],
      "<f4",
    );
    await writeNpy(
      join(dir, "items.npy"),
      [
        [0.5, -1],
        [2, 0.25],
      ],
      "<f8",
    );
    const factors = await readImportedFactors({
      users: join(dir, "users.npy"),
      items: join(dir, "items.npy"),
      handoffDir: dir,
    });
    // The store knows the users in another order, and a user the engine never saw.
    const users = alignFactors(factors.users, ["cid", "dan", "ann", "bob"], factors.exportIds!.users);
    expect(Array.from(users.values)).toEqual([5, 6, 0, 0, 1, 2, 3, 4]);
    expect(Array.from(users.covered)).toEqual([1, 0, 1, 1]);
    expect(users).toMatchObject({ imported: 3, skipped: {} });
    const items = alignFactors(factors.items, ["sofa", "lamp"], factors.exportIds!.items);
    expect(Array.from(items.values)).toEqual([2, 0.25, 0.5, -1]);
  });

  it("maps Spark's raw userFactors (an integer id) through the export, counting an index it lacks", async () => {
    writeListFactors(
      join(dir, "spark-users.parquet"),
      "id",
      [2, 0, 7],
      [
        [1, 1],
        [2, 2],
        [3, 3],
      ],
    );
    writeListFactors(
      join(dir, "spark-items.parquet"),
      "id",
      [0, 1],
      [
        [1, 0],
        [0, 1],
      ],
    );
    const factors = await readImportedFactors({
      users: join(dir, "spark-users.parquet"),
      items: join(dir, "spark-items.parquet"),
      handoffDir: dir,
    });
    const users = alignFactors(factors.users, ["ann", "bob", "cid"], factors.exportIds!.users);
    expect(Array.from(users.values)).toEqual([2, 2, 0, 0, 1, 1]);
    expect(users.skipped).toEqual({ "index outside the export's id file": 1 });
  });

  it("reads a folder of Parquet parts, as Spark's write.parquet leaves one, empty parts included", async () => {
    const folder = join(dir, "user_factors.parquet");
    await mkdir(folder);
    writeListFactors(join(folder, "part-00000.snappy.parquet"), "user_id", ["ann"], [[1, 2]]);
    writeListFactors(join(folder, "part-00001.snappy.parquet"), "user_id", [], []);
    writeListFactors(
      join(folder, "part-00002.snappy.parquet"),
      "user_id",
      ["bob", "cid"],
      [
        [3, 4],
        [5, 6],
      ],
    );
    await writeFile(join(folder, "_SUCCESS"), "");
    const factors = await readImportedFactors({ users: folder, items: join(dir, "wide-items.parquet") });
    const users = alignFactors(factors.users, ["cid", "bob", "ann"], null);
    expect(Array.from(users.values)).toEqual([5, 6, 3, 4, 1, 2]);
  });

  it("skips and counts each bad row and keeps the good ones beside it", async () => {
    writeListFactors(
      join(dir, "bad-users.parquet"),
      "user_id",
      ["ann", null, "bob", "cid", "dup", "dup", "eve", "zed"],
      [[1, 2], [1, 1], [1, Number.POSITIVE_INFINITY], [1, 2, 3], [1, 1], [2, 2], null, [9, 9]],
    );
    const factors = await readImportedFactors({
      users: join(dir, "bad-users.parquet"),
      items: join(dir, "wide-items.parquet"),
    });
    expect(Array.from(factors.items.values)).toEqual([0.25, 0.5]);
    const users = alignFactors(factors.users, ["ann", "bob", "cid", "dup", "eve"], null);
    expect(users.imported).toBe(1);
    expect(Array.from(users.values.subarray(0, 2))).toEqual([1, 2]);
    expect(users.skipped).toEqual({
      "no id": 1,
      "NaN or infinite value": 1,
      "vector missing or of another width": 2,
      "id named more than once": 2,
      "id unknown to the store": 1,
    });
  });

  it("says what is wrong with a file that cannot be imported", async () => {
    const items = join(dir, "spark-items.parquet");
    await expect(readImportedFactors({ users: join(dir, "users.npy"), items })).rejects.toThrow(
      /users\.npy and .*spark-items\.parquet name rows by index, not by id: give --handoff DIR/,
    );
    await writeNpy(join(dir, "wide.npy"), [[1, 2, 3]], "<f4");
    await expect(
      readImportedFactors({ users: join(dir, "wide.npy"), items, handoffDir: dir }),
    ).rejects.toThrow(/the factors differ in width: 3 in .*wide\.npy, 2 in/);
    writeParquetTable(join(dir, "no-vector.parquet"), {
      user_id: [["ann"], "STRING"],
      score: [[1], "FLOAT"],
    });
    await expect(readImportedFactors({ users: join(dir, "no-vector.parquet"), items })).rejects.toThrow(
      /no factor vector: expected a list column \(Spark's features\) or columns f0 … fN-1, found user_id, score/,
    );
    await expect(readImportedFactors({ users: join(dir, "gone.parquet"), items })).rejects.toThrow(
      /gone\.parquet: no such file or folder/,
    );
    await writeFile(join(dir, "text.npy"), "not numpy");
    await expect(readImportedFactors({ users: join(dir, "text.npy"), items })).rejects.toThrow(
      /text\.npy is not an NPY file/,
    );
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  type ColumnMapping,
  FileReadError,
  type MappedRow,
  readCsvInteractions,
  readInteractionFile,
} from "../../../../origin/ingest/files/index.ts";
import { writeParquetTable } from "../../support/parquet-table.ts";

const plays: ColumnMapping = {
  userCol: "listener",
  itemCol: "track",
  timeCol: "played_at",
  valueCol: "plays",
  valueKind: "count",
  time: { format: "auto" },
};

async function collect(rows: AsyncIterable<MappedRow>): Promise<MappedRow[]> {
  const out: MappedRow[] = [];
  for await (const row of rows) {
    out.push(row);
  }
  return out;
}

const csv = (text: string, mapping: ColumnMapping = plays, options = {}) =>
  collect(readCsvInteractions(Readable.from([text]), mapping, options));

describe("the column-mapped interaction reader", () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgewise-reader-"));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it("maps named columns in any order, with ISO and epoch times mixed, and ignores other columns", async () => {
    const rows = await csv(
      [
        "country,played_at,track,listener,plays",
        "fr,2024-05-01T10:00:00Z,t-1,u-1,3",
        'de,1714557600,"t,2",u-2,1',
        "it,1714557600000,t-3,u-3,12",
      ].join("\n"),
    );
    expect(rows).toEqual([
      { ok: true, row: { line: 2, userId: "u-1", itemId: "t-1", tsMs: 1_714_557_600_000, value: 3 } },
      { ok: true, row: { line: 3, userId: "u-2", itemId: "t,2", tsMs: 1_714_557_600_000, value: 1 } },
      { ok: true, row: { line: 4, userId: "u-3", itemId: "t-3", tsMs: 1_714_557_600_000, value: 12 } },
    ]);
  });

  it("reports every bad row with its line and reason, and keeps reading the rows after it", async () => {
    const rows = await csv(
      [
        "listener,track,played_at,plays",
        "u-1,t-1,2024-05-01T10:00:00Z,2", // 2 ok
        ",t-1,2024-05-01T10:00:00Z,2", // 3 no user
        "u-1,,2024-05-01T10:00:00Z,2", // 4 no item
        "u-1,t-1,tomorrow,2", // 5 bad time
        "u-1,t-1,2024-05-01T10:00:00Z,many", // 6 bad count
        "u-1,t-1,2024-05-01T10:00:00Z,0", // 7 a count of 0
        "u-1,t-1,2024-05-01T10:00:00Z", // 8 too few fields
        'u-1,t"1,2024-05-01T10:00:00Z,2', // 9 a stray quote
        '"u-2","a ""quoted""',
        'title over two lines",2024-05-01T10:00:00Z,4', // 10-11 one row over two lines
        "",
        "u-3,t-3,2024-05-01 10:00:00,1", // 13 no zone
        "u-4,t-4,1714557600,5", // 14 ok
      ].join("\r\n"),
    );
    const failures = rows.filter((r) => !r.ok).map((r) => (r.ok ? null : `${r.line}: ${r.reason}`));
    expect(failures).toEqual([
      "3: no user id in 'listener'",
      "4: no item id in 'track'",
      expect.stringMatching(/^5: played_at: 'tomorrow' is not an ISO-8601/),
      "6: plays: the count is not a number",
      "7: plays: a count of 0 is no interaction",
      "8: the row has 3 fields, the header has 4",
      expect.stringMatching(/^9: .*quote/i),
      expect.stringMatching(/^13: played_at: .*no time zone/),
    ]);
    const good = rows.flatMap((r) => (r.ok ? [r.row] : []));
    expect(good.map((r) => [r.line, r.userId, r.itemId, r.value])).toEqual([
      [2, "u-1", "t-1", 2],
      [11, "u-2", 'a "quoted"\ntitle over two lines', 4],
      [14, "u-4", "t-4", 5],
    ]);
  });

  it("refuses the whole file, before any row, when a mapped column is missing", async () => {
    await expect(csv("user,item\nu,i\n")).rejects.toThrow(FileReadError);
    await expect(csv("user,item\nu,i\n")).rejects.toThrow(
      "no column 'listener', 'track', 'played_at', 'plays' (the file has: user, item)",
    );
    await expect(csv("")).rejects.toThrow(/empty/);
    await expect(
      csv("listener,track\nu,i\n", { ...plays, timeCol: undefined, valueCol: undefined }),
    ).rejects.toThrow(/value kind 'count' needs a value column/);
  });

  it("reads a file without a header by column position, and a value kind of none as one interaction a row", async () => {
    const rows = await csv(
      "u-1\tt-1\t5\t964982703\nu-2\tt-2\t3\t964982704\n",
      { userCol: "1", itemCol: "2", timeCol: "4", valueCol: "3", valueKind: "none", time: { format: "s" } },
      { header: false, delimiter: "\t" },
    );
    expect(rows).toEqual([
      { ok: true, row: { line: 1, userId: "u-1", itemId: "t-1", tsMs: 964_982_703_000, value: Number.NaN } },
      { ok: true, row: { line: 2, userId: "u-2", itemId: "t-2", tsMs: 964_982_704_000, value: Number.NaN } },
    ]);
  });

  it("keeps the source's event id from an id column, and refuses a row without one", async () => {
    const rows = await csv("id,listener,track,played_at,plays\ne-1,u,t,1714557600,1\n,u,t,1714557600,1\n", {
      ...plays,
      idCol: "id",
    });
    expect(rows[0]).toMatchObject({ ok: true, row: { eventId: "e-1" } });
    expect(rows[1]).toEqual({ ok: false, line: 3, reason: "no event id in 'id'" });
  });

  it("reads the same rows from Parquet as from CSV, numbered by row, across row groups and types", async () => {
    const n = 2500;
    const listeners = Array.from({ length: n }, (_, i) => `u-${i % 97}`);
    const tracks = Array.from({ length: n }, (_, i) => i % 31); // an INT32 id column
    const times = Array.from({ length: n }, (_, i) => BigInt(1_714_557_600_000 + i * 1000)); // INT64 epoch ms
    const counts = Array.from({ length: n }, (_, i) => (i === 1700 ? 0 : 1 + (i % 4)));
    const path = join(dir, "plays.parquet");
    writeParquetTable(
      path,
      {
        listener: [listeners, "STRING"],
        track: [tracks, "INT32"],
        played_at: [times, "INT64"],
        plays: [counts, "DOUBLE"],
        ignored: [listeners, "STRING"],
      },
      1000,
    );
    const csvPath = join(dir, "plays.csv");
    const lines = listeners.map((u, i) => `${u},${tracks[i]},${times[i]},${counts[i]}`);
    await writeFile(csvPath, `listener,track,played_at,plays\n${lines.join("\n")}\n`);

    const fromParquet = await collect(readInteractionFile(path, plays));
    const fromCsv = await collect(readInteractionFile(csvPath, plays));
    expect(fromParquet).toHaveLength(n);
    expect(fromParquet[1700]).toEqual({
      ok: false,
      line: 1701,
      reason: "plays: a count of 0 is no interaction",
    });
    // CSV line numbers are one ahead of Parquet row numbers (the header is line 1)
    const shift = (rows: MappedRow[], by: number) =>
      rows.map((r) => (r.ok ? { ...r.row, line: r.row.line + by } : { ...r, line: r.line + by }));
    expect(shift(fromParquet, 1)).toEqual(shift(fromCsv, 0));
    expect(fromParquet[2499]).toEqual({
      ok: true,
      row: { line: 2500, userId: "u-74", itemId: "19", tsMs: 1_714_557_600_000 + 2_499_000, value: 4 },
    });
  });

  it("reads Parquet TIMESTAMP columns and says which column a Parquet file lacks", async () => {
    const path = join(dir, "stamped.parquet");
    writeParquetTable(path, {
      user: [["a", "b"], "STRING"],
      item: [["x", "y"], "STRING"],
      at: [[new Date(Date.UTC(1997, 5, 1)), new Date(Date.UTC(2020, 0, 1))], "TIMESTAMP"],
    });
    const mapping: ColumnMapping = {
      ...plays,
      userCol: "user",
      itemCol: "item",
      timeCol: "at",
      valueKind: "none",
    };
    const rows = await collect(readInteractionFile(path, mapping));
    expect(rows.map((r) => (r.ok ? r.row.tsMs : r.reason))).toEqual([
      Date.UTC(1997, 5, 1),
      Date.UTC(2020, 0, 1),
    ]);
    await expect(collect(readInteractionFile(path, { ...mapping, userCol: "customer" }))).rejects.toThrow(
      "no column 'customer' (the file has: user, item, at)",
    );
    const notParquet = join(dir, "fake.parquet");
    await writeFile(notParquet, "user,item\n");
    await expect(collect(readInteractionFile(notParquet, mapping))).rejects.toThrow(/is not a Parquet file/);
  });
});

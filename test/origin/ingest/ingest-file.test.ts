import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { mulberry32 } from "../../../models/random.ts";
import { detectFileFormat, ingestFile } from "../../../origin/ingest/index.ts";
import {
  createPostgresJsonbRawPayloadStore,
  type RawPayloadStore,
} from "../../../origin/ingest/raw/index.ts";
import {
  createSqlEventStore,
  type EventStore,
  openPgliteDatabase,
} from "../../../origin/ingest/store/index.ts";
import { writeParquetTable } from "../support/parquet-table.ts";
import { recordGenerator } from "../support/records.ts";

/** MovieLens-shaped ratings made up by a seeded generator (the real data set is never a test fixture). */
function fakeRatings(seed: number, count: number): [string, string, string, string][] {
  const rng = mulberry32(seed);
  const seen = new Set<string>();
  const rows: [string, string, string, string][] = [];
  while (rows.length < count) {
    const user = String(1 + Math.floor(rng() * 50));
    const item = String(1 + Math.floor(rng() * 400));
    if (seen.has(`${user}:${item}`)) {
      continue;
    }
    seen.add(`${user}:${item}`);
    rows.push([
      user,
      item,
      String(Math.ceil(rng() * 10) / 2),
      String(1_000_000_000 + Math.floor(rng() * 5e8)),
    ]);
  }
  return rows;
}

describe("ingestFile", () => {
  let dir: string;
  let eventStore: EventStore;
  let rawStore: RawPayloadStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgewise-ingest-"));
    const database = await openPgliteDatabase();
    await database.migrate();
    eventStore = createSqlEventStore(database);
    rawStore = createPostgresJsonbRawPayloadStore(database.sql);
  });
  afterAll(async () => {
    await eventStore?.close();
    await rm(dir, { recursive: true, force: true });
  });

  async function ratingsOf(prefix: string) {
    const out = new Map<
      string,
      { value: number | null; tsMs: number; userId: string | null; itemId: string | null }
    >();
    for await (const batch of eventStore.streamEvents({ types: ["rating"] })) {
      for (const event of batch) {
        if (event.eventId.startsWith(prefix)) {
          out.set(event.eventId, event);
        }
      }
    }
    return out;
  }

  it("loads NDJSON in batches, reporting lines that are not JSON or not valid records", async () => {
    const next = recordGenerator({ seed: 40, prefix: "file-nd-", entityShare: 0.2 });
    const records = Array.from({ length: 230 }, next);
    const lines = records.map((r) => JSON.stringify(r));
    lines.splice(10, 0, "{oops", "", JSON.stringify({ event_id: "file-nd-bad", type: "view" }));
    const path = join(dir, "events.ndjson");
    await writeFile(path, `${lines.join("\n")}\n`);
    const progress: number[] = [];
    const summary = await ingestFile(
      path,
      { eventStore, rawStore },
      {
        batchSize: 50,
        onProgress: ({ done }) => progress.push(done),
      },
    );
    expect(summary).toMatchObject({ format: "ndjson", read: 232, stored: 230, duplicates: 0, rejected: 2 });
    expect(summary.errors[0]).toMatch(/^line 11: line 11 is not valid JSON/);
    expect(summary.errors[1]).toMatch(/^line 13: /);
    expect(progress.length).toBeGreaterThanOrEqual(5);
    expect(progress.at(-1)).toBe(summary.sizeBytes);
    const item = records.find((r) => r.type === "item") as { item_id: string } | undefined;
    expect(item).toBeDefined();
    expect(await rawStore.latestItemDocument(item!.item_id)).not.toBeNull();
    const again = await ingestFile(path, { eventStore, rawStore });
    expect(again).toMatchObject({ stored: 0, duplicates: 230, rejected: 2 });
  });

  it("rejects dirty records one by one, as the endpoint does, and stores the rest", async () => {
    const base = { type: "view", user_id: "file-dirty-user", ts: 1_700_000_000_000, source: "import" };
    const depth = 5000;
    const lines = [
      JSON.stringify({ ...base, event_id: "file-dirty-ok-1" }),
      // Written as text: JSON.stringify overflows the stack on a value this deep.
      `{"event_id":"file-dirty-deep","type":"view","user_id":"u","ts":1700000000000,"source":"import","context":${'{"a":'.repeat(depth)}1${"}".repeat(depth)}}`,
      JSON.stringify({ ...base, event_id: "file-dirty-lone", user_id: "\ud800" }),
      JSON.stringify({
        event_id: "file-dirty-price",
        type: "item",
        item_id: "i",
        ts: base.ts,
        source: "import",
        price: 1e308,
      }),
      JSON.stringify({ ...base, event_id: "file-dirty-rating", type: "rating", item_id: "i", value: -5 }),
      JSON.stringify({ ...base, event_id: "file-dirty-ok-2" }),
    ];
    const path = join(dir, "dirty.ndjson");
    await writeFile(path, `${lines.join("\n")}\n`);
    const summary = await ingestFile(path, { eventStore, rawStore });
    expect(summary).toMatchObject({ read: 6, stored: 2, rejected: 4 });
    expect(summary.errors).toEqual([
      expect.stringMatching(/^line 2: the record is nested more than 16 levels/),
      expect.stringMatching(/^line 3: user_id: .*unpaired surrogate/),
      expect.stringMatching(/^line 4: price: /),
      expect.stringMatching(/^line 5: value: /),
    ]);
  });

  it("counts a record the store refuses as rejected and stores the others of its batch", async () => {
    const next = recordGenerator({ seed: 42, prefix: "file-refused-", entityShare: 0 });
    const records = Array.from({ length: 40 }, next);
    const refused = records[17]!.event_id;
    const refusing: EventStore = {
      ...eventStore,
      insertBatch(batch, alsoWrite) {
        if (batch.some((record) => record.event_id === refused)) {
          return Promise.reject(Object.assign(new Error("value too long for type"), { code: "22001" }));
        }
        return eventStore.insertBatch(batch, alsoWrite);
      },
    };
    const path = join(dir, "refused.ndjson");
    await writeFile(path, `${records.map((r) => JSON.stringify(r)).join("\n")}\n`);
    const summary = await ingestFile(path, { eventStore: refusing, rawStore }, { batchSize: 25 });
    expect(summary).toMatchObject({ read: 40, stored: 39, rejected: 1 });
    expect(summary.errors).toEqual([
      expect.stringMatching(/^line 18: the store refused the record: value too long/),
    ]);
  });

  it("loads a JSON array file", async () => {
    const next = recordGenerator({ seed: 41, prefix: "file-json-" });
    const records = Array.from({ length: 120 }, next);
    const path = join(dir, "events.json");
    await writeFile(path, JSON.stringify(records, null, 2));
    expect(await detectFileFormat(path)).toBe("json");
    const summary = await ingestFile(path, { eventStore, rawStore }, { batchSize: 33 });
    expect(summary).toMatchObject({ format: "json", read: 120, stored: 120, rejected: 0 });
  });

  it("loads MovieLens u.data and ratings.csv as rating events with stable ids", async () => {
    const rows = fakeRatings(42, 300);
    const udata = join(dir, "u.data");
    await writeFile(udata, `${rows.map((r) => r.join("\t")).join("\n")}\n`);
    const csv = join(dir, "ratings.csv");
    await writeFile(
      csv,
      `"userId","movieId","rating","timestamp"\n${rows.map((r) => r.join(",")).join("\n")}\nbad,row\n`,
    );
    expect(await detectFileFormat(udata)).toBe("movielens-udata");
    expect(await detectFileFormat(csv)).toBe("movielens-csv");

    const fromUdata = await ingestFile(udata, { eventStore, rawStore }, { batchSize: 128 });
    expect(fromUdata).toMatchObject({ read: 300, stored: 300, duplicates: 0, rejected: 0 });
    // The same ratings in the other format are the same events.
    const fromCsv = await ingestFile(csv, { eventStore, rawStore });
    expect(fromCsv).toMatchObject({ read: 301, stored: 0, duplicates: 300, rejected: 1 });

    const stored = await ratingsOf("ml-");
    expect(stored.size).toBe(300);
    for (const [user, item, rating, seconds] of rows) {
      expect(stored.get(`ml-${user}-${item}-${seconds}`)).toMatchObject({
        userId: user,
        itemId: item,
        value: Number(rating),
        tsMs: Number(seconds) * 1000,
      });
    }
  });

  it("loads a column-mapped CSV: counts as view values, bad rows rejected by line, a rerun stores nothing", async () => {
    const lines = ["when,who,what,plays,market"];
    for (let i = 0; i < 120; i++) {
      const when = i % 2 === 0 ? `2023-0${1 + (i % 9)}-1${i % 10}T08:00:00Z` : String(1_690_000_000 + i * 60);
      lines.push(`${when},map-u${i % 13},map-i${i % 17},${1 + (i % 6)},fr`);
    }
    lines.splice(31, 0, "2023-01-01T00:00:00Z,map-u1,map-i1,0,fr"); // line 32: a count of 0
    lines.splice(61, 0, "sometime,map-u1,map-i1,2,fr"); // line 62: no usable time
    const path = join(dir, "plays.csv");
    await writeFile(path, `${lines.join("\n")}\n`);
    const mapping = {
      userCol: "who",
      itemCol: "what",
      timeCol: "when",
      valueCol: "plays",
      valueKind: "count" as const,
      time: { format: "auto" as const },
    };
    const rejected: string[] = [];
    const summary = await ingestFile(
      path,
      { eventStore, rawStore },
      {
        format: "csv",
        mapping,
        batchSize: 25,
        onRejected: (where, message) => rejected.push(`${where}: ${message}`),
      },
    );
    expect(summary).toMatchObject({ format: "csv", read: 122, stored: 120, duplicates: 0, rejected: 2 });
    expect(rejected).toEqual([
      "line 32: plays: a count of 0 is no interaction",
      expect.stringMatching(/^line 62: when: 'sometime' is not an ISO-8601/),
    ]);
    const views = new Map<
      string,
      { value: number | null; userId: string | null; tsMs: number; source: string }
    >();
    for await (const batch of eventStore.streamEvents({ types: ["view"] })) {
      for (const event of batch) {
        if (event.userId?.startsWith("map-")) {
          views.set(`${event.userId} ${event.itemId} ${event.tsMs}`, event);
        }
      }
    }
    expect(views.size).toBe(120);
    expect(views.get(`map-u1 map-i1 ${1_690_000_060_000}`)).toMatchObject({ value: 2, source: "import" });
    expect(views.get(`map-u0 map-i0 ${Date.UTC(2023, 0, 10, 8)}`)).toMatchObject({ value: 1 });

    const again = await ingestFile(path, { eventStore, rawStore }, { format: "csv", mapping });
    expect(again).toMatchObject({ stored: 0, duplicates: 120, rejected: 2 });
  });

  it("loads the same rows from Parquet as the same events, reporting bad rows by row number", async () => {
    const n = 300;
    const [users, items, stars, seconds]: [string[], string[], number[], number[]] = [[], [], [], []];
    for (let r = 0; r < n; r++) {
      users.push(`pq-u${r % 11}`);
      items.push(`pq-i${r % 23}`);
      stars.push(r === 150 ? 11 : 1 + (r % 5)); // row 151: outside the rating scale
      seconds.push(1_600_000_000 + r);
    }
    const path = join(dir, "ratings.parquet");
    const ts = seconds.map(BigInt);
    writeParquetTable(
      path,
      { u: [users, "STRING"], i: [items, "STRING"], stars: [stars, "DOUBLE"], t: [ts, "INT64"] },
      128,
    );
    const mapping = {
      userCol: "u",
      itemCol: "i",
      timeCol: "t",
      valueCol: "stars",
      valueKind: "rating" as const,
      time: { format: "s" as const },
    };
    const summary = await ingestFile(path, { eventStore, rawStore }, { mapping, batchSize: 100 });
    expect(summary).toMatchObject({ format: "parquet", read: n, stored: n - 1, rejected: 1 });
    expect(summary.errors).toEqual([expect.stringMatching(/^row 151: value: /)]);

    const csvPath = join(dir, "ratings-again.csv");
    const rows = users.map((u, r) => `${u},${items[r]},${stars[r]},${seconds[r]}`);
    await writeFile(csvPath, `u,i,stars,t\n${rows.join("\n")}\n`);
    const fromCsv = await ingestFile(csvPath, { eventStore, rawStore }, { format: "csv", mapping });
    expect(fromCsv).toMatchObject({ stored: 0, duplicates: n - 1, rejected: 1 });
  });

  it("asks for a format when the name does not tell", async () => {
    const path = join(dir, "events.bin");
    await writeFile(path, "[]");
    await expect(ingestFile(path, { eventStore, rawStore })).rejects.toThrow(/--format/);
  });
});

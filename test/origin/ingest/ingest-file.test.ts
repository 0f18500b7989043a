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
        onProgress: (bytes) => progress.push(bytes),
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

  it("asks for a format when the name does not tell", async () => {
    const path = join(dir, "events.bin");
    await writeFile(path, "[]");
    await expect(ingestFile(path, { eventStore, rawStore })).rejects.toThrow(/--format/);
  });
});

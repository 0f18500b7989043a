/**
 * The pipeline and `edgewise eval recs` number users and items the same way (by id), so the same
 * interactions give the same training matrix whether they were stored in another order or read from a file.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type IngestRecord, parseIngestRecord } from "../../../../models/contracts/index.ts";
import { mulberry32 } from "../../../../models/random.ts";
import { createSqlEventStore, type EventStore, openPgliteDatabase } from "../../../../origin/ingest/index.ts";
import {
  eventWeight,
  indexInteractions,
  interactionPairs,
  pairData,
  type RawInteraction,
  readInteractions,
} from "../../../../origin/train/index.ts";

const rng = mulberry32(7);
// Ids whose first appearance is far from their sorted order (u9 before u10, m3 before m12…).
const rows: RawInteraction[] = Array.from({ length: 1500 }, (_, n) => ({
  userId: `u${Math.floor(rng() * 60)}`,
  itemId: `m${Math.floor(rng() ** 2 * 200)}`,
  tsSeconds: 1_000_000_000 + n * 60,
  value: 1 + Math.floor(rng() * 5),
  type: "rating",
}));

let store: EventStore;
beforeAll(async () => {
  const database = await openPgliteDatabase();
  await database.migrate();
  store = createSqlEventStore(database);
  // Stored in another order than the file's, in several batches.
  const shuffled = rows.map((row, n) => ({ row, n, key: rng() })).sort((a, b) => a.key - b.key);
  const records = shuffled.map(({ row, n }) => {
    const parsed = parseIngestRecord({
      event_id: `e${n}`,
      type: "rating",
      user_id: row.userId,
      item_id: row.itemId,
      ts: row.tsSeconds * 1000,
      value: row.value,
      source: "file",
    });
    if (!parsed.success) {
      throw new Error(parsed.error);
    }
    return parsed.data as IngestRecord;
  });
  for (let from = 0; from < records.length; from += 400) {
    await store.insertBatch(records.slice(from, from + 400));
  }
});
afterAll(async () => {
  await store?.close();
});

describe("user and item order", () => {
  it("is the ids' order in a file's log, whatever order the file lists them in", () => {
    const { log } = indexInteractions(rows);
    expect(log.userIds).toEqual([...new Set(rows.map((r) => r.userId))].sort());
    expect(log.itemIds).toEqual([...new Set(rows.map((r) => r.itemId))].sort());
    rows.forEach((row, e) => {
      expect(log.userIds[log.user[e]!]).toBe(row.userId);
      expect(log.itemIds[log.item[e]!]).toBe(row.itemId);
    });
  });

  it("gives the stored log the file's training matrix, index for index", async () => {
    const { log } = indexInteractions(rows);
    const fromFile = pairData({
      users: log.users,
      items: log.items,
      user: log.user,
      item: log.item,
      weight: Float32Array.from(log.value, (value, e) => eventWeight(log.typeCode[e]!, value)),
    }).weights;
    const stored = await readInteractions(store, { untilMs: Date.UTC(2030, 0, 1) });
    expect(stored.users.map((u) => u.userId)).toEqual(log.userIds);
    expect(stored.items.map((i) => i.itemId)).toEqual(log.itemIds);
    const fromStore = interactionPairs(stored).weights;
    expect(fromStore.offsets).toEqual(fromFile.offsets);
    expect(fromStore.indices).toEqual(fromFile.indices);
    expect(fromStore.values).toEqual(fromFile.values);
  });
});

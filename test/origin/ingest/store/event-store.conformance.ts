/**
 * The behaviour every EventStore backend must have. Each backend's test file calls
 * describeEventStoreConformance with a factory; the suite opens one store and keeps tests apart by id
 * prefix, so it also runs against a store that already holds other data.
 */
import { describe, expect, it } from "vitest";
import {
  INTERACTION_TYPE_CODE,
  IngestRecord,
  type InteractionType,
  isInteraction,
} from "../../../../models/contracts/index.ts";
import type { EventStore, StoredEvent } from "../../../../origin/ingest/store/index.ts";
import { conformanceBackend } from "../../../support/conformance-backend.ts";
import { generateRecords } from "../../support/records.ts";

export interface ConformanceTarget {
  store: EventStore;
  cleanup(): Promise<void>;
}

/** What the store must give back for a record: derived from the record, not from the store. */
export function expectedStoredEvent(record: IngestRecord): Omit<StoredEvent, "seq"> {
  const common = { eventId: record.event_id, type: record.type, tsMs: record.ts, source: record.source };
  if (record.type === "user") {
    return {
      ...common,
      userId: record.user_id,
      itemId: null,
      value: null,
      text: null,
      context: null,
      entity: { attributes: record.attributes },
    };
  }
  if (record.type === "item") {
    const { event_id, ts, source, type, item_id, ...fields } = record;
    return {
      ...common,
      userId: null,
      itemId: item_id,
      value: null,
      text: null,
      context: null,
      entity: fields,
    };
  }
  return {
    ...common,
    userId: record.user_id,
    itemId: record.item_id ?? null,
    value: record.value ?? null,
    text: record.type === "review" ? record.text : null,
    context: record.context ?? null,
    entity: null,
  };
}

async function storedWithPrefix(store: EventStore, prefix: string): Promise<StoredEvent[]> {
  const out: StoredEvent[] = [];
  for await (const batch of store.streamEvents({ batchSize: 97 })) {
    out.push(...batch.filter((event) => event.eventId.startsWith(prefix)));
  }
  return out;
}

async function lastSeq(store: EventStore): Promise<number> {
  let seq = 0;
  for await (const batch of store.streamEvents({ batchSize: 5000 })) {
    seq = batch[batch.length - 1]!.seq;
  }
  return seq;
}

const byEventId = (a: { eventId: string }, b: { eventId: string }) => (a.eventId < b.eventId ? -1 : 1);
const stripSeq = ({ seq, ...rest }: StoredEvent) => rest;

export function describeEventStoreConformance(name: string, open: () => Promise<ConformanceTarget>): void {
  describe(`EventStore conformance: ${name}`, () => {
    let store: EventStore;
    conformanceBackend(open, async (opened) => {
      store = opened.store;
      await store.migrate();
    });

    it("stores every field of every record type and reads it back unchanged", async () => {
      const records = generateRecords({ seed: 1, prefix: "rt-", entityShare: 0.25 }, 300);
      const result = await store.insertBatch(records);
      expect(result).toEqual({ storedCount: 300, duplicateIndexes: [] });
      const stored = await storedWithPrefix(store, "rt-");
      expect(stored.map(stripSeq).sort(byEventId)).toEqual(records.map(expectedStoredEvent).sort(byEventId));
      const seqs = stored.map((event) => event.seq);
      expect(new Set(seqs).size).toBe(seqs.length);
    });

    it("a retried batch stores nothing twice and reports every record as a duplicate", async () => {
      const records = generateRecords({ seed: 2, prefix: "retry-" }, 120);
      expect((await store.insertBatch(records)).storedCount).toBe(120);
      const again = await store.insertBatch(records);
      expect(again.storedCount).toBe(0);
      expect(again.duplicateIndexes).toEqual(records.map((_, i) => i));
      expect(await storedWithPrefix(store, "retry-")).toHaveLength(120);
    });

    it("keeps the first copy of an event id repeated within a batch and reports the later ones", async () => {
      const [a, b, c] = generateRecords({ seed: 3, prefix: "dup-", entityShare: 0 }, 3) as [
        IngestRecord,
        IngestRecord,
        IngestRecord,
      ];
      const aChanged = { ...a, source: "changed" } as IngestRecord;
      const result = await store.insertBatch([a, b, aChanged, c, b, a]);
      expect(result).toEqual({ storedCount: 3, duplicateIndexes: [2, 4, 5] });
      const stored = await storedWithPrefix(store, "dup-");
      expect(stored.map(stripSeq).sort(byEventId)).toEqual(
        [a, b, c].map(expectedStoredEvent).sort(byEventId),
      );
    });

    it("reports ids stored by earlier batches as duplicates among new records", async () => {
      const records = generateRecords({ seed: 4, prefix: "mix-" }, 40);
      await store.insertBatch(records.slice(0, 20));
      const result = await store.insertBatch([...records.slice(15, 40)]);
      expect(result.storedCount).toBe(20);
      expect(result.duplicateIndexes).toEqual([0, 1, 2, 3, 4]);
      expect(await storedWithPrefix(store, "mix-")).toHaveLength(40);
    });

    it("creates users and items on first sight from interactions", async () => {
      const records = generateRecords({ seed: 5, prefix: "seen-", entityShare: 0 }, 200);
      await store.insertBatch(records);
      const expectedUsers = new Set(records.filter(isInteraction).map((r) => r.user_id));
      const expectedItems = new Set(
        records.flatMap((r) => (isInteraction(r) && r.item_id ? [r.item_id] : [])),
      );
      const users = (await store.listUsers()).filter((u) => u.userId.startsWith("seen-"));
      const items = (await store.listItems()).filter((i) => i.itemId.startsWith("seen-"));
      expect(new Set(users.map((u) => u.userId))).toEqual(expectedUsers);
      expect(new Set(items.map((i) => i.itemId))).toEqual(expectedItems);
      expect(users.every((u) => u.attributesTsMs === null && Object.keys(u.attributes).length === 0)).toBe(
        true,
      );
      const idxs = [...users.map((u) => u.idx)];
      expect(new Set(idxs).size).toBe(idxs.length);
    });

    it("creates the users and items of a batch rolled back once when a later batch names them, whatever their characters", async () => {
      const ids = ['"quoted"', "back\\slash", "{brace},comma", "é😀", " space ", "null"];
      const view = (n: number, id: string) =>
        IngestRecord.parse({
          event_id: `rolled-${n}-${id}`,
          type: "view",
          user_id: `rolled-u-${id}`,
          item_id: `rolled-i-${id}`,
          ts: 1_700_000_000_000,
          source: "test",
        });
      const failing = async () => {
        throw new Error("the raw step failed");
      };
      await expect(
        store.insertBatch(
          ids.map((id) => view(1, id)),
          failing,
        ),
      ).rejects.toThrow("the raw step failed");
      expect((await store.listUsers()).filter((u) => u.userId.startsWith("rolled-"))).toEqual([]);
      const result = await store.insertBatch(ids.map((id) => view(2, id)));
      expect(result.storedCount).toBe(ids.length);
      const users = (await store.listUsers()).filter((u) => u.userId.startsWith("rolled-"));
      const items = (await store.listItems()).filter((i) => i.itemId.startsWith("rolled-"));
      expect(new Set(users.map((u) => u.userId))).toEqual(new Set(ids.map((id) => `rolled-u-${id}`)));
      expect(new Set(items.map((i) => i.itemId))).toEqual(new Set(ids.map((id) => `rolled-i-${id}`)));
    });

    it("applies user and item records last-writer-wins by event time, whatever the arrival order", async () => {
      const t = Date.UTC(2024, 5, 1);
      const user = (id: string, ts: number, plan: string) =>
        IngestRecord.parse({
          event_id: id,
          type: "user",
          user_id: "lww-u",
          ts,
          source: "app",
          attributes: { plan },
        });
      const item = (id: string, ts: number, title: string, categories: string[]) =>
        IngestRecord.parse({
          event_id: id,
          type: "item",
          item_id: "lww-i",
          ts,
          source: "pos",
          title,
          categories,
        });
      await store.insertBatch([
        user("lww-1", t + 2000, "new"),
        item("lww-2", t + 2000, "New title", ["a", "b"]),
      ]);
      // Older records arriving later do not win; within one batch the latest event time wins.
      await store.insertBatch([user("lww-3", t, "old"), item("lww-4", t + 1000, "Old", ["z"])]);
      await store.insertBatch([
        user("lww-5", t + 5000, "newest"),
        user("lww-6", t + 3000, "middle"),
        item("lww-7", t + 2500, "Newer", []),
      ]);
      const users = (await store.listUsers()).filter((u) => u.userId === "lww-u");
      const items = (await store.listItems()).filter((i) => i.itemId === "lww-i");
      expect(users).toHaveLength(1);
      expect(users[0]!.attributes).toEqual({ plan: "newest" });
      expect(users[0]!.attributesTsMs).toBe(t + 5000);
      expect(items).toHaveLength(1);
      expect(items[0]).toMatchObject({
        title: "Newer",
        categories: [],
        price: null,
        attributesTsMs: t + 2500,
      });
    });

    it("streams interactions as typed columns that match the stored events", async () => {
      const after = await lastSeq(store);
      const records = generateRecords({ seed: 6, prefix: "cols-", entityShare: 0.2 }, 250);
      await store.insertBatch(records);
      const userIdx = new Map((await store.listUsers()).map((u) => [u.idx, u.userId]));
      const itemIdx = new Map((await store.listItems()).map((i) => [i.idx, i.itemId]));
      const rows: {
        eventId: string;
        userId: string;
        itemId: string | null;
        type: number;
        ts: number;
        value: number;
      }[] = [];
      const stored = new Map((await storedWithPrefix(store, "cols-")).map((e) => [e.seq, e.eventId]));
      for await (const batch of store.streamInteractions({
        afterSeq: after,
        batchSize: 64,
        includeText: true,
      })) {
        expect(batch.seq.length).toBe(batch.length);
        expect(batch.text).toHaveLength(batch.length);
        for (let r = 0; r < batch.length; r++) {
          rows.push({
            eventId: stored.get(batch.seq[r]!)!,
            userId: userIdx.get(batch.userIdx[r]!)!,
            itemId: batch.itemIdx[r] === -1 ? null : itemIdx.get(batch.itemIdx[r]!)!,
            type: batch.typeCode[r]!,
            ts: batch.tsMs[r]!,
            value: batch.value[r]!,
          });
        }
      }
      const interactions = records.filter(isInteraction);
      expect(rows.map((r) => r.eventId).sort()).toEqual(interactions.map((r) => r.event_id).sort());
      const byId = new Map(interactions.map((r) => [r.event_id, r]));
      for (const row of rows) {
        const record = byId.get(row.eventId)!;
        expect(row.userId).toBe(record.user_id);
        expect(row.itemId).toBe(record.item_id ?? null);
        expect(row.type).toBe(INTERACTION_TYPE_CODE[record.type]);
        expect(row.ts).toBe(record.ts);
        if (record.value === undefined) {
          expect(row.value).toBeNaN();
        } else {
          expect(row.value).toBeCloseTo(record.value, 4);
        }
      }
    });

    it("resumes a stream from a cursor and filters by type and event time", async () => {
      const after = await lastSeq(store);
      const records = generateRecords({ seed: 7, prefix: "cur-", entityShare: 0 }, 150);
      await store.insertBatch(records);
      const collect = async (options: Parameters<EventStore["streamInteractions"]>[0]) => {
        let n = 0;
        let cursor = 0;
        for await (const batch of store.streamInteractions({ afterSeq: after, ...options })) {
          n += batch.length;
          expect(batch.seq[0]!).toBeGreaterThan(cursor);
          cursor = batch.seq[batch.length - 1]!;
        }
        return { n, cursor };
      };
      const all = await collect({ batchSize: 40 });
      expect(all.n).toBe(150);
      const firstPart = await collect({ batchSize: 1000 });
      expect(firstPart.n).toBe(150);
      const rest = await collect({ afterSeq: all.cursor });
      expect(rest.n).toBe(0);
      const types: InteractionType[] = ["rating", "review"];
      const typed = await collect({ types });
      expect(typed.n).toBe(records.filter((r) => (types as string[]).includes(r.type)).length);
      const sorted = records.map((r) => r.ts).sort((a, b) => a - b);
      const sinceMs = sorted[50]!;
      const untilMs = sorted[120]!;
      const windowed = await collect({ sinceMs, untilMs });
      expect(windowed.n).toBe(records.filter((r) => r.ts >= sinceMs && r.ts < untilMs).length);
    });

    it("names the newest stored interaction's time, optionally before a bound", async () => {
      // Far in the future, so records other tests stored never hold the maximum.
      const base = Date.UTC(2091, 0, 1);
      const records = generateRecords({ seed: 10, prefix: "newest-", entityShare: 0 }, 40).map((r, i) => ({
        ...r,
        ts: base + i * 60_000,
      }));
      await store.insertBatch(records);
      expect(await store.newestInteractionMs()).toBe(base + 39 * 60_000);
      expect(await store.newestInteractionMs({ untilMs: base + 10 * 60_000 })).toBe(base + 9 * 60_000);
      expect(await store.newestInteractionMs({ untilMs: Date.UTC(1971, 0, 1) })).toBeNull();
    });

    it("counts events, optionally by type", async () => {
      const before = await store.countEvents();
      const beforeRatings = await store.countEvents(["rating"]);
      const records = generateRecords({ seed: 8, prefix: "count-" }, 90);
      await store.insertBatch(records);
      expect(await store.countEvents()).toBe(before + 90);
      expect(await store.countEvents(["rating"])).toBe(
        beforeRatings + records.filter((r) => r.type === "rating").length,
      );
    });

    it("two concurrent batches with overlapping ids store each event exactly once", async () => {
      const records = generateRecords({ seed: 9, prefix: "conc-" }, 400);
      const left = records.slice(0, 300);
      const right = [...records.slice(100, 400)].reverse();
      const [a, b] = await Promise.all([store.insertBatch(left), store.insertBatch(right)]);
      expect(a.storedCount + b.storedCount).toBe(400);
      expect(a.duplicateIndexes.length + b.duplicateIndexes.length).toBe(200);
      const stored = await storedWithPrefix(store, "conc-");
      expect(stored.map(stripSeq).sort(byEventId)).toEqual(records.map(expectedStoredEvent).sort(byEventId));
    });

    it("an empty batch writes nothing", async () => {
      expect(await store.insertBatch([])).toEqual({ storedCount: 0, duplicateIndexes: [] });
    });

    it("migrating again is a no-op and keeps the data", async () => {
      const before = await store.countEvents();
      await store.migrate();
      expect(await store.countEvents()).toBe(before);
      await store.ping();
    });
  });
}

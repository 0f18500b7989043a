/** The behaviour every RawPayloadStore backend must have (MongoDB, Postgres JSONB). */
import { describe, expect, it } from "vitest";
import type { ItemDocument, RawPayload, RawPayloadStore } from "../../../../origin/ingest/raw/index.ts";
import { RAW_PAYLOAD_MAX_DEPTH, TRUNCATED_MARKER } from "../../../../origin/ingest/raw/index.ts";
import type { EventStore } from "../../../../origin/ingest/store/index.ts";
import { conformanceBackend } from "../../../support/conformance-backend.ts";
import { generateRecords } from "../../support/records.ts";

export interface RawConformanceTarget {
  store: RawPayloadStore;
  /** The event store in the same database, for a store whose writes join its transactions. */
  eventStore?: EventStore;
  cleanup(): Promise<void>;
}

function nested(depth: number): unknown {
  let value: unknown = "bottom";
  for (let d = 0; d < depth; d++) {
    value = d % 2 === 0 ? [value] : { inner: value };
  }
  return value;
}

/** Levels of containers down the chain `nested` builds, and what is at the bottom. */
function descend(value: unknown): { depth: number; bottom: unknown } {
  let depth = 0;
  let current = value;
  while (current !== null && typeof current === "object") {
    depth++;
    current = Array.isArray(current) ? current[0] : (current as { inner: unknown }).inner;
  }
  return { depth, bottom: current };
}

export function describeRawPayloadStoreConformance(
  name: string,
  open: () => Promise<RawConformanceTarget>,
): void {
  describe(`RawPayloadStore conformance: ${name}`, () => {
    let store: RawPayloadStore;
    const target = conformanceBackend(open, async (opened) => {
      store = opened.store;
      await store.prepare();
    });

    it("keeps every payload of a batch as received, valid or not, in position order", async () => {
      const payloads: RawPayload[] = [
        {
          position: 0,
          eventId: "r1",
          accepted: true,
          payload: { event_id: "r1", type: "view", extra: { deep: [1, "x"] } },
        },
        { position: 1, eventId: null, accepted: false, payload: "{not json" },
        {
          position: 2,
          eventId: "r3",
          accepted: false,
          payload: { event_id: "r3", ts: "yesterday", "odd key": null },
        },
        { position: 3, eventId: null, accepted: false, payload: [1, 2, 3] },
        { position: 5, eventId: null, accepted: false, payload: null },
        { position: 6, eventId: null, accepted: false, payload: 42 },
        { position: 4, eventId: "r5", accepted: true, payload: { text: "tab\tnew\nline back\\slash ünï ✓" } },
      ];
      payloads.sort((a, b) => a.position - b.position);
      await store.saveBatch({
        batchId: "batch-a",
        receivedAt: new Date(),
        payloads: [...payloads].reverse(),
      });
      const other: RawPayload = { ...payloads[0]!, eventId: "r1-b", payload: { event_id: "r1-b" } };
      await store.saveBatch({ batchId: "batch-b", receivedAt: new Date(), payloads: [other] });
      expect(await store.batchPayloads("batch-a")).toEqual(payloads);
      expect(await store.batchPayloads("batch-b")).toEqual([other]);
      expect(await store.batchPayloads("batch-none")).toEqual([]);
    });

    it("keeps payloads whose field names or strings are awkward for the backend", async () => {
      const awkward = { $where: "1", "a.b": { $gt: 1 }, list: [{ "x.y": 2 }] };
      const withNul = { "k\u0000ey": "v\u0000alue" };
      await store.saveBatch({
        batchId: "batch-awkward",
        receivedAt: new Date(),
        payloads: [
          { position: 0, eventId: null, accepted: false, payload: awkward },
          { position: 1, eventId: null, accepted: false, payload: withNul },
        ],
      });
      const [first, second] = await store.batchPayloads("batch-awkward");
      expect(first!.payload).toEqual(awkward);
      // Exactly, or with U+FFFD for NUL where the backend cannot hold NUL at all (Postgres jsonb).
      expect([withNul, { "k\ufffdey": "v\ufffdalue" }]).toContainEqual(second!.payload);
    });

    it("stores one raw copy per record when a batch is sent twice", async () => {
      const payloads: RawPayload[] = [
        { position: 0, eventId: "twice-1", accepted: true, payload: { event_id: "twice-1", type: "view" } },
        { position: 1, eventId: "twice-2", accepted: false, payload: { event_id: "twice-2", ts: "soon" } },
        { position: 2, eventId: null, accepted: false, payload: "{not json either" },
        { position: 3, eventId: "twice-1", accepted: true, payload: { event_id: "twice-1", type: "view" } },
      ];
      // A retry arrives as a new batch (the origin names each request's batch), or the same one again.
      await store.saveBatch({ batchId: "twice-first", receivedAt: new Date(), payloads });
      await store.saveBatch({ batchId: "twice-retry", receivedAt: new Date(), payloads });
      await store.saveBatch({ batchId: "twice-first", receivedAt: new Date(), payloads });
      expect(await store.batchPayloads("twice-first")).toEqual(payloads.slice(0, 3));
      expect(await store.batchPayloads("twice-retry")).toEqual([]);
      // A record that was rejected and is sent again corrected is another record.
      const corrected: RawPayload = { ...payloads[1]!, accepted: true, payload: { event_id: "twice-2" } };
      await store.saveBatch({ batchId: "twice-corrected", receivedAt: new Date(), payloads: [corrected] });
      expect(await store.batchPayloads("twice-corrected")).toEqual([corrected]);
    });

    it("keeps a payload nested 5,000 levels deep or holding lone surrogates, in a form it can store", async () => {
      const deep = nested(5000);
      const lone = { event_id: "lone-\ud800", user_id: "\udc00x", "k\ud800": ["\ud83d"] };
      await store.saveBatch({
        batchId: "batch-unstorable",
        receivedAt: new Date(),
        payloads: [
          { position: 0, eventId: "deep-1", accepted: false, payload: deep },
          { position: 1, eventId: "lone-\ud800", accepted: false, payload: lone },
          { position: 2, eventId: null, accepted: false, payload: "\ud800 as a line" },
        ],
      });
      const [first, second, third] = await store.batchPayloads("batch-unstorable");
      // The levels above the cut are kept; the rest is a marker that says what happened.
      expect(descend(first!.payload)).toEqual({ depth: RAW_PAYLOAD_MAX_DEPTH, bottom: TRUNCATED_MARKER });
      // Exactly, or with U+FFFD for each lone surrogate where the backend cannot hold one (jsonb).
      const replaced = { event_id: "lone-\ufffd", user_id: "\ufffdx", "k\ufffd": ["\ufffd"] };
      expect([lone, replaced]).toContainEqual(second!.payload);
      expect(["\ud800 as a line", "\ufffd as a line"]).toContain(third!.payload);
      expect(["lone-\ud800", "lone-\ufffd"]).toContain(second!.eventId);
    });

    it("commits raw copies with their batch's events, or not at all, when it joins the event transaction", async (context) => {
      const eventStore = target().eventStore;
      if (store.inEventTransaction === undefined || eventStore === undefined) {
        context.skip();
        return;
      }
      const records = generateRecords({ seed: 41, prefix: "raw-tx-", entityShare: 0 }, 3);
      const payloads: RawPayload[] = records.map((record, position) => ({
        position,
        eventId: record.event_id,
        accepted: true,
        payload: record,
      }));
      const batch = { batchId: "batch-tx", receivedAt: new Date(), payloads };
      const step = store.inEventTransaction(batch, []);
      const failing = async (session: Parameters<typeof step>[0]) => {
        await step(session);
        throw new Error("the event write failed after the raw copies");
      };
      await expect(eventStore.insertBatch(records, failing)).rejects.toThrow(/event write failed/);
      expect(await store.batchPayloads("batch-tx")).toEqual([]);
      expect((await eventStore.insertBatch(records, step)).storedCount).toBe(3);
      expect(
        await eventStore.insertBatch(
          records,
          store.inEventTransaction({ ...batch, batchId: "batch-tx-2" }, []),
        ),
      ).toEqual({
        storedCount: 0,
        duplicateIndexes: [0, 1, 2],
      });
      expect(await store.batchPayloads("batch-tx")).toHaveLength(3);
      expect(await store.batchPayloads("batch-tx-2")).toEqual([]);
    });

    it("returns the item document with the latest event time and saves each item record once", async () => {
      const doc = (eventId: string, tsMs: number, title: string): ItemDocument => ({
        eventId,
        itemId: "item-1",
        tsMs,
        document: { title, attributes: { colour: "red", sizes: [38, 39] } },
      });
      expect(await store.latestItemDocument("item-1")).toBeNull();
      await store.saveItemDocuments([doc("d2", 2000, "second"), doc("d1", 1000, "first")]);
      await store.saveItemDocuments([doc("d3", 1500, "late but older")]);
      // A retry of the same record with other content keeps the first copy.
      await store.saveItemDocuments([doc("d2", 2000, "changed on retry")]);
      expect(await store.latestItemDocument("item-1")).toEqual(doc("d2", 2000, "second"));
      await store.saveItemDocuments([doc("d4", 9000, "newest")]);
      expect((await store.latestItemDocument("item-1"))?.document.title).toBe("newest");
      expect(await store.latestItemDocument("item-unknown")).toBeNull();
    });
  });
}

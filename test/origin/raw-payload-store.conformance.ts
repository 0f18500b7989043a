/** The behaviour every RawPayloadStore backend must have (MongoDB, Postgres JSONB). */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ItemDocument, RawPayload, RawPayloadStore } from "../../origin/raw/index.ts";

export interface RawConformanceTarget {
  store: RawPayloadStore;
  cleanup(): Promise<void>;
}

export function describeRawPayloadStoreConformance(
  name: string,
  open: () => Promise<RawConformanceTarget>,
): void {
  describe(`RawPayloadStore conformance: ${name}`, () => {
    let target: RawConformanceTarget;
    let store: RawPayloadStore;
    beforeAll(async () => {
      target = await open();
      store = target.store;
      await store.prepare();
    });
    afterAll(async () => {
      await target?.cleanup();
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
      await store.saveBatch({ batchId: "batch-b", receivedAt: new Date(), payloads: payloads.slice(0, 1) });
      expect(await store.batchPayloads("batch-a")).toEqual(payloads);
      expect(await store.batchPayloads("batch-b")).toEqual(payloads.slice(0, 1));
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

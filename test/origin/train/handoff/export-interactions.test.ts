import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { asyncBufferFromFile, parquetReadObjects } from "hyparquet";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPgliteEventStore, type EventStore } from "../../../../origin/ingest/index.ts";
import { EXPORT_FILES, exportInteractions } from "../../../../origin/train/index.ts";

const read = async (file: string) => parquetReadObjects({ file: await asyncBufferFromFile(file) });

describe("export-interactions", () => {
  let dir: string;
  let store: EventStore;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), "edgewise-export-"));
    store = await createPgliteEventStore();
    await store.migrate();
    const t = Date.UTC(1997, 3, 1); // old data exports as it is: the window ends at the newest event
    const event = (id: string, type: string, user: string, item: string | undefined, value?: number) => ({
      event_id: id,
      type,
      user_id: user,
      ...(item === undefined ? {} : { item_id: item }),
      ts: t + Number(id.slice(1)) * 1000,
      source: "test",
      ...(value === undefined ? {} : { value }),
    });
    await store.insertBatch([
      event("e1", "view", "ann", "lamp"),
      event("e2", "view", "ann", "lamp"),
      event("e3", "purchase", "ann", "lamp"),
      event("e4", "rating", "bob", "sofa", 5),
      event("e5", "click", "bob", "lamp"),
      event("e6", "view", "cid", undefined), // a page view: no item, no pair
    ] as never);
  });
  afterAll(async () => {
    await store?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it("writes the pairs iALS trains on, with their summed confidence and event counts, and the id maps", async () => {
    const out = join(dir, "handoff");
    const summary = await exportInteractions(store, out, { window: { days: 0 } });
    expect(summary).toMatchObject({ pairs: 3, events: 6, users: 3, items: 2 });
    const users = await read(join(out, EXPORT_FILES.users));
    const items = await read(join(out, EXPORT_FILES.items));
    const userId = new Map(users.map((row) => [row.user_index, row.user_id]));
    const itemId = new Map(items.map((row) => [row.item_index, row.item_id]));
    expect([...userId.values()].sort()).toEqual(["ann", "bob", "cid"]);
    expect([...itemId.values()].sort()).toEqual(["lamp", "sofa"]);
    expect(users.map((row) => row.user_index)).toEqual([0, 1, 2]);
    const pairs = (await read(join(out, EXPORT_FILES.interactions))).map((row) => ({
      user: userId.get(row.user_index),
      item: itemId.get(row.item_index),
      confidence: row.confidence,
      events: row.events,
    }));
    // view 1 + view 1 + purchase 8; a 5-star rating 4; a click 2
    expect(pairs).toEqual(
      expect.arrayContaining([
        { user: "ann", item: "lamp", confidence: 10, events: 3 },
        { user: "bob", item: "sofa", confidence: 4, events: 1 },
        { user: "bob", item: "lamp", confidence: 2, events: 1 },
      ]),
    );
    expect(pairs).toHaveLength(3);
  });

  it("exports only the window asked for", async () => {
    const out = join(dir, "window");
    const summary = await exportInteractions(store, out, {
      window: { sinceMs: Date.UTC(1997, 3, 1) + 3500, days: 0 },
    });
    expect(summary).toMatchObject({ pairs: 2, events: 3 });
  });
});

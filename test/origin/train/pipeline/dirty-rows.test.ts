/**
 * Issue 10, case 3: rows stored before the contract refused them (written here straight into the tables,
 * past validation) never fail a training run; they are skipped and counted in its report.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCatalog } from "../../../../models/catalog/index.ts";
import type { TrainedRelease } from "../../../../origin/release/index.ts";
import { runTrainingPipeline } from "../../../../origin/train/index.ts";
import { type GeneratedStore, openGeneratedStore } from "../support/trained-store.ts";

let store: GeneratedStore;
let release: TrainedRelease;
let pricedItem: string;

beforeAll(async () => {
  store = await openGeneratedStore();
  const sql = store.database.sql;
  const user = store.data.users[0]!.userId;
  pricedItem = store.data.items[0]!.itemId;
  const item = store.data.items[1]!.itemId;
  const ts = new Date(store.now.getTime() - 86_400_000).toISOString();
  await sql.query("UPDATE items SET price = 1e308 WHERE item_id = $1", [pricedItem]);
  await sql.query("UPDATE items SET price = 'Infinity' WHERE item_id = $1", [item]);
  await sql.query(
    `UPDATE users SET attributes = '{"income": 1e300, "plan": "plus"}'::jsonb WHERE user_id = $1`,
    [user],
  );
  await sql.query(`UPDATE users SET attributes = '[1, 2]'::jsonb WHERE user_id = $1`, [
    store.data.users[1]!.userId,
  ]);
  const insert = `INSERT INTO events (event_id, type, user_id, item_id, ts, value, source)
    VALUES ($1, $2, $3, $4, $5::timestamptz, $6, 'legacy')`;
  await sql.query(insert, ["dirty-rating-huge", "rating", user, item, ts, 1e308]);
  await sql.query(insert, ["dirty-rating-negative", "rating", user, item, ts, -5]);
  await sql.query(insert, ["dirty-view-infinite", "view", user, item, ts, "Infinity"]);
  await sql.query(insert, ["dirty-click-huge", "click", user, item, ts, 1e300]);
  release = await runTrainingPipeline({
    eventStore: store.eventStore,
    now: store.now,
    options: { runId: "dirty" },
  });
});
afterAll(async () => {
  await store?.eventStore.close();
});

describe("a training run over dirty stored rows", () => {
  it("a training run succeeds over a stored row with an infinite price and reports it skipped", () => {
    const catalog = decodeCatalog(release.artifacts.find((a) => a.name === "catalog")!.bytes);
    expect(catalog.items).toBe(store.data.items.length);
    // The item stays in the catalogue; only its price is unknown.
    expect(catalog.price[catalog.indexOf(pricedItem)]).toBeNaN();
    expect(release.skipped.reasons).toMatchObject({
      "item price not a finite number in [0, 1000000000] (price ignored)": 2,
    });
  });

  it("skips out-of-range ratings, infinite values and unusable attributes, counting each by reason", () => {
    expect(release.skipped.reasons).toEqual({
      "item price not a finite number in [0, 1000000000] (price ignored)": 2,
      "rating value missing or outside [0, 10]": 2,
      "event value not a finite number within the limits": 2,
      "user attribute not a finite number or primitive (attribute ignored)": 1,
      "user attributes not an object (attributes ignored)": 1,
    });
    expect(release.skipped.total).toBe(8);
    // The rest of the data trains as usual: every model is a candidate.
    expect(release.candidates.map((c) => c.name).sort()).toEqual(["behaviour", "recs", "sentiment"]);
    expect(release.counts.events).toBe(
      store.data.records.filter((r) => r.type !== "user" && r.type !== "item").length,
    );
  });
});

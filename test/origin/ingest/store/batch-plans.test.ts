/**
 * The batch write's lookups of staged ids stay index probes as the tables grow, whatever the planner's
 * statistics say: PGlite never refreshes them (no autovacuum), and a plan that hashed all of `events` for
 * every batch made a large import quadratic.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CREATE_FIRST_SEEN_USERS, DROP_STORED } from "../../../../origin/ingest/store/batch-write-sql.ts";
import {
  createSqlEventStore,
  type EventStore,
  openPgliteDatabase,
  type SqlDatabase,
} from "../../../../origin/ingest/store/index.ts";
import { STAGING_TABLE } from "../../../../origin/ingest/store/staging-rows.ts";

describe("the batch write's plans over a growing store", () => {
  let database: SqlDatabase;
  let store: EventStore;
  beforeAll(async () => {
    database = await openPgliteDatabase();
    await database.migrate();
    store = createSqlEventStore(database);
    // 20,000 events in 4 batches: the statistics are those of the empty tables the migration made
    for (let b = 0; b < 4; b++) {
      const batch = Array.from({ length: 5000 }, (_, i) => ({
        event_id: `plan-${b}-${i}`,
        type: "view" as const,
        user_id: `plan-u${(b * 5000 + i) % 3000}`,
        item_id: `plan-i${i % 500}`,
        ts: 1_700_000_000_000 + i,
        source: "test",
      }));
      await store.insertBatch(batch);
    }
  });
  afterAll(async () => {
    await store?.close();
  });

  async function planOf(statement: string, params: unknown[] = []): Promise<string> {
    let plan = "";
    await database.sql
      .transaction(async (session) => {
        await session.query(
          `INSERT INTO ${STAGING_TABLE} (position, event_id, type, user_id, item_id, ts_ms, source)
           SELECT g, 'plan-new-' || g, 'view', 'plan-u' || g, 'plan-i1', 1.7e12, 'test' FROM generate_series(1, 2000) g`,
        );
        plan = (await session.query(`EXPLAIN ${statement}`, params)).map((row) => String(row[0])).join("\n");
        throw new Error("roll back");
      })
      .catch((error: Error) => {
        if (error.message !== "roll back") {
          throw error;
        }
      });
    return plan;
  }

  it("finds already stored event ids by the primary key, never by scanning events", async () => {
    const plan = await planOf(DROP_STORED);
    expect(plan).toMatch(/Index Only Scan using events_pkey on events/);
    expect(plan).not.toMatch(/Seq Scan on events|Hash Join/);
  });

  it("finds users seen for the first time by the primary key, never by scanning users", async () => {
    const ids = Array.from({ length: 2000 }, (_, i) => `plan-u${i}`);
    const plan = await planOf(CREATE_FIRST_SEEN_USERS, [JSON.stringify(ids)]);
    expect(plan).toMatch(/Index Only Scan using users_pkey on users/);
    expect(plan).not.toMatch(/Seq Scan on users|Hash Anti Join/);
  });
});

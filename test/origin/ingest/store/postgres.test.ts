import pg from "pg";
import { describe, expect, it } from "vitest";
import { createPostgresEventStore } from "../../../../origin/ingest/store/index.ts";
import { cutWhenBusy } from "../../support/kill-switch.ts";
import {
  createTestDatabase,
  postgresUnavailableReason,
  storeOnTestDatabase,
  TEST_DATABASE_URL,
} from "../../support/postgres.ts";
import { generateRecords } from "../../support/records.ts";
import { storedEventIds } from "../../support/stored-event-ids.ts";
import { describeEventStoreConformance } from "./event-store.conformance.ts";

const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.warn(`SKIPPED Postgres event store tests: ${unavailable}`);
}

describe.skipIf(unavailable !== null)("Postgres event store (node-postgres)", () => {
  for (const bulkMode of ["copy", "insert"] as const) {
    describeEventStoreConformance(`Postgres, bulk ${bulkMode}`, () =>
      storeOnTestDatabase(`pg_${bulkMode}`, (connectionString) =>
        createPostgresEventStore({ connectionString, bulkMode }),
      ),
    );
  }

  it("a batch racing another writer for one of its ids stores every other event and reports that one", async () => {
    const db = await createTestDatabase("pg_race");
    const store = await createPostgresEventStore({ connectionString: db.url });
    const other = new pg.Client({ connectionString: db.url });
    const observer = new pg.Client({ connectionString: TEST_DATABASE_URL });
    try {
      await store.migrate();
      await Promise.all([other.connect(), observer.connect()]);
      const records = generateRecords({ seed: 23, prefix: "race-", entityShare: 0 }, 50);
      // Another writer inserts one of the ids and holds its transaction open: the batch's plain INSERT
      // waits for it, then fails on the unique key once it commits, and the batch is redone safely.
      await other.query("BEGIN");
      await other.query(
        "INSERT INTO events (event_id, type, user_id, ts, source) VALUES ($1, 'view', 'someone', now(), 'web')",
        [records[10]!.event_id],
      );
      const pending = store.insertBatch(records);
      for (let waited = 0; ; waited++) {
        const { rows } = await observer.query(
          "SELECT 1 FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
          [db.name],
        );
        if (rows.length > 0) {
          break;
        }
        expect(waited).toBeLessThan(5000);
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
      await other.query("COMMIT");
      const result = await pending;
      expect(result).toEqual({ storedCount: 49, duplicateIndexes: [10] });
      expect(await store.countEvents()).toBe(50);
    } finally {
      await Promise.all([other.end(), observer.end()]);
      await store.close();
      await db.drop();
    }
  });

  it("a batch whose connection is killed mid-way fails, and its retry stores every event exactly once", async () => {
    const db = await createTestDatabase("pg_kill");
    const store = await createPostgresEventStore({ connectionString: db.url, onIdleError: () => {} });
    try {
      await store.migrate();
      const records = generateRecords({ seed: 21, prefix: "kill-", entityShare: 0.05 }, 60_000);
      await store.insertBatch(records.slice(0, 1000));

      const attempt = store.insertBatch(records);
      const cut = cutWhenBusy(db.name, async (pids, admin) => {
        await admin.query("SELECT pg_terminate_backend(pid) FROM unnest($1::int[]) AS pid", [pids]);
      });
      await expect(attempt).rejects.toThrow(/terminat/i);
      expect(await cut).toBe(true);

      // The batch is one transaction: it is stored wholly or (almost always) not at all.
      const afterFailure = await store.countEvents();
      expect([1000, 60_000]).toContain(afterFailure);
      const retry = await store.insertBatch(records);
      expect(retry.storedCount).toBe(60_000 - afterFailure);
      expect(retry.duplicateIndexes).toHaveLength(afterFailure);

      const ids = await storedEventIds(store);
      expect(ids).toHaveLength(60_000);
      expect(new Set(ids)).toEqual(new Set(records.map((record) => record.event_id)));
    } finally {
      await store.close();
      await db.drop();
    }
  });
});

import { describe, expect, it } from "vitest";
import { createNeonEventStore, startNeonLocalRelay } from "../../../../origin/ingest/store/index.ts";
import { suiteResource } from "../../../support/suite-resource.ts";
import { cutWhenBusy } from "../../support/kill-switch.ts";
import {
  createTestDatabase,
  postgresUnavailableReason,
  storeOnTestDatabase,
} from "../../support/postgres.ts";
import { generateRecords } from "../../support/records.ts";
import { storedEventIds } from "../../support/stored-event-ids.ts";
import { describeEventStoreConformance } from "./event-store.conformance.ts";

const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.warn(
    `SKIPPED Neon driver tests (they reach Postgres through a local WebSocket relay): ${unavailable}`,
  );
}

describe.skipIf(unavailable !== null)("Neon event store (serverless driver over a WebSocket relay)", () => {
  const relay = suiteResource(startNeonLocalRelay);

  describeEventStoreConformance("Neon driver", () =>
    storeOnTestDatabase("neon", (connectionString) =>
      createNeonEventStore({ connectionString, wsProxy: relay().wsProxy }),
    ),
  );

  it("a batch whose WebSocket is cut mid-way fails, and its retry stores every event exactly once", async () => {
    const db = await createTestDatabase("neon_kill");
    const store = await createNeonEventStore({
      connectionString: db.url,
      wsProxy: relay().wsProxy,
      onIdleError: () => {},
    });
    try {
      await store.migrate();
      const records = generateRecords({ seed: 22, prefix: "cut-", entityShare: 0.05 }, 40_000);
      await store.insertBatch(records.slice(0, 500));

      const attempt = store.insertBatch(records);
      const cut = cutWhenBusy(db.name, () => relay().dropConnections());
      await expect(attempt).rejects.toThrow(/terminat/i);
      expect(await cut).toBe(true);

      const afterFailure = await store.countEvents();
      expect([500, 40_000]).toContain(afterFailure);
      const retry = await store.insertBatch(records);
      expect(retry.storedCount).toBe(40_000 - afterFailure);

      const ids = await storedEventIds(store);
      expect(ids).toHaveLength(40_000);
      expect(new Set(ids)).toEqual(new Set(records.map((record) => record.event_id)));
    } finally {
      await store.close();
      await db.drop();
    }
  });
});

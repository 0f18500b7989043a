/** The learning store's conformance suite on every backend: PGlite always, Postgres and Neon when a Postgres answers. */
import { describe } from "vitest";
import {
  openNeonDatabase,
  openPgliteDatabase,
  openPostgresDatabase,
  type SqlDatabase,
  startNeonLocalRelay,
} from "../../../origin/ingest/store/index.ts";
import { createLearningStore } from "../../../origin/learn/index.ts";
import { suiteResource } from "../../support/suite-resource.ts";
import { createTestDatabase, postgresUnavailableReason } from "../support/postgres.ts";
import { describeLearningStoreConformance } from "./learning-store.conformance.ts";

async function opened(database: SqlDatabase, drop?: () => Promise<void>) {
  await database.migrate();
  return {
    store: createLearningStore(database.sql),
    async cleanup() {
      await database.sql.close();
      await drop?.();
    },
  };
}

describeLearningStoreConformance("PGlite", async () => opened(await openPgliteDatabase()));

const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.warn(`SKIPPED Postgres and Neon learning store tests: ${unavailable}`);
}

describe.skipIf(unavailable !== null)("on a real Postgres", () => {
  describeLearningStoreConformance("Postgres", async () => {
    const db = await createTestDatabase("learning_pg");
    return opened(await openPostgresDatabase({ connectionString: db.url }), () => db.drop());
  });

  describe("through the Neon driver", () => {
    const relay = suiteResource(startNeonLocalRelay);
    describeLearningStoreConformance("Neon", async () => {
      const db = await createTestDatabase("learning_neon");
      return opened(await openNeonDatabase({ connectionString: db.url, wsProxy: relay().wsProxy }), () =>
        db.drop(),
      );
    });
  });
});

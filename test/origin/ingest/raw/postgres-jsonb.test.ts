import { describe } from "vitest";
import { createPostgresJsonbRawPayloadStore } from "../../../../origin/ingest/raw/index.ts";
import {
  createSqlEventStore,
  openNeonDatabase,
  openPgliteDatabase,
  openPostgresDatabase,
  type SqlDatabase,
  startNeonLocalRelay,
} from "../../../../origin/ingest/store/index.ts";
import { suiteResource } from "../../../support/suite-resource.ts";
import { createTestDatabase, postgresUnavailableReason } from "../../support/postgres.ts";
import {
  describeRawPayloadStoreConformance,
  type RawConformanceTarget,
} from "./raw-payload-store.conformance.ts";

/** The JSONB raw store over a migrated database, beside the event store it shares transactions with. */
async function jsonbTarget(database: SqlDatabase, drop = async () => {}): Promise<RawConformanceTarget> {
  await database.migrate();
  const eventStore = createSqlEventStore(database);
  return {
    store: createPostgresJsonbRawPayloadStore(database.sql),
    eventStore,
    async cleanup() {
      await eventStore.close();
      await drop();
    },
  };
}

describeRawPayloadStoreConformance("Postgres JSONB tables (PGlite)", async () =>
  jsonbTarget(await openPgliteDatabase()),
);

const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.warn(`SKIPPED JSONB raw store tests on Postgres and Neon: ${unavailable}`);
}

describe.skipIf(unavailable !== null)("JSONB raw store on a Postgres server", () => {
  describeRawPayloadStoreConformance("Postgres JSONB tables (node-postgres)", async () => {
    const db = await createTestDatabase("raw_pg");
    return jsonbTarget(await openPostgresDatabase({ connectionString: db.url }), db.drop);
  });

  describe("through the Neon driver", () => {
    const relay = suiteResource(startNeonLocalRelay);
    describeRawPayloadStoreConformance("Postgres JSONB tables (Neon driver)", async () => {
      const db = await createTestDatabase("raw_neon");
      return jsonbTarget(
        await openNeonDatabase({ connectionString: db.url, wsProxy: relay().wsProxy }),
        db.drop,
      );
    });
  });
});

import { describe } from "vitest";
import { openPostgresDatabase } from "../../../../origin/ingest/store/index.ts";
import { createTestDatabase, postgresUnavailableReason } from "../../support/postgres.ts";
import { describeModelRegistryConformance } from "./model-registry.conformance.ts";

const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.warn(`SKIPPED Postgres model registry tests: ${unavailable}`);
}

describe.skipIf(unavailable !== null)("model registry on Postgres", () => {
  describeModelRegistryConformance("Postgres (node-postgres)", async () => {
    const db = await createTestDatabase("registry_pg");
    const database = await openPostgresDatabase({ connectionString: db.url, maxConnections: 2 });
    return {
      database,
      async cleanup() {
        await database.sql.close();
        await db.drop();
      },
    };
  });
});

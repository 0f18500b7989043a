import { describe } from "vitest";
import { openNeonDatabase, startNeonLocalRelay } from "../../../../origin/ingest/store/index.ts";
import { suiteResource } from "../../../support/suite-resource.ts";
import { createTestDatabase, postgresUnavailableReason } from "../../support/postgres.ts";
import { describeModelRegistryConformance } from "./model-registry.conformance.ts";

const unavailable = await postgresUnavailableReason();
if (unavailable) {
  console.warn(`SKIPPED Neon model registry tests (they reach Postgres through a relay): ${unavailable}`);
}

describe.skipIf(unavailable !== null)("model registry through the Neon driver", () => {
  const relay = suiteResource(startNeonLocalRelay);

  describeModelRegistryConformance("Neon serverless driver", async () => {
    const db = await createTestDatabase("registry_neon");
    const database = await openNeonDatabase({
      connectionString: db.url,
      wsProxy: relay().wsProxy,
      maxConnections: 2,
    });
    return {
      database,
      async cleanup() {
        await database.sql.close();
        await db.drop();
      },
    };
  });
});

import { afterAll } from "vitest";
import { openPgliteDatabase, type SqlDatabase } from "../../../../origin/ingest/store/index.ts";
import { describeModelRegistryConformance } from "./model-registry.conformance.ts";

// One in-memory database for the file (PGlite takes seconds to start); each test empties the registry.
let shared: Promise<SqlDatabase> | undefined;
afterAll(async () => {
  await (await shared)?.sql.close();
});

describeModelRegistryConformance("PGlite (in memory)", async () => {
  shared ??= openPgliteDatabase();
  const database = await shared;
  return {
    database,
    cleanup: async () => {
      await database.sql.query("TRUNCATE model_versions, training_runs");
    },
  };
});

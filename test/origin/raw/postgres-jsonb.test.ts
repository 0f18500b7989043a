import { createPostgresJsonbRawPayloadStore } from "../../../origin/raw/index.ts";
import { openPgliteDatabase } from "../../../origin/store/index.ts";
import { describeRawPayloadStoreConformance } from "../raw-payload-store.conformance.ts";

describeRawPayloadStoreConformance("Postgres JSONB tables (PGlite)", async () => {
  const database = await openPgliteDatabase();
  await database.migrate();
  return { store: createPostgresJsonbRawPayloadStore(database.sql), cleanup: () => database.sql.close() };
});

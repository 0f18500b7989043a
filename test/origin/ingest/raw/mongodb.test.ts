import { createMongoRawPayloadStore } from "../../../../origin/ingest/raw/index.ts";
import { startCongoDb } from "../../mongo-test-server/congodb.ts";
import { describeRawPayloadStoreConformance } from "./raw-payload-store.conformance.ts";

// Against CongoDB, a wire-compatible server: it proves the driver calls, not real mongod semantics
// (CongoDB does not enforce unique indexes, for one).
describeRawPayloadStoreConformance("MongoDB driver (CongoDB server)", async () => {
  const server = await startCongoDb();
  const store = await createMongoRawPayloadStore({ url: server.url, database: "edgewise_test" });
  return {
    store,
    async cleanup() {
      await store.close();
      await server.stop();
    },
  };
});

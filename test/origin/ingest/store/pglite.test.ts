import { createPgliteEventStore } from "../../../../origin/ingest/store/index.ts";
import { describeEventStoreConformance } from "./event-store.conformance.ts";

describeEventStoreConformance("PGlite (in memory)", async () => {
  const store = await createPgliteEventStore();
  return { store, cleanup: () => store.close() };
});

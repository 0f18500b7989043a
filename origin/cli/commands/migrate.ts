import { parseArgs } from "node:util";
import { eventStoreBackend, loadOriginConfig } from "../../config.ts";
import { openOriginStores } from "../../ingest/index.ts";
import type { Command } from "../command.ts";

const usage = `usage: edgewise migrate

Applies pending SQL migrations (migrations/) to the event store the environment selects (EVENT_STORE,
DATABASE_URL, EDGEWISE_DATA_DIR or PGLITE_DIR) and creates the raw payload store's indexes (MongoDB when MONGODB_URL is set).
Safe to run again: applied migrations are skipped.`;

export const migrateCommand: Command = {
  summary: "apply the database migrations",
  usage,
  async run(args) {
    parseArgs({ args, options: {} });
    const config = loadOriginConfig();
    const stores = await openOriginStores(config);
    try {
      await stores.migrate();
      console.log(
        `migrated the ${eventStoreBackend(config)} event store (${stores.rawStore.backend} raw payloads)`,
      );
      return 0;
    } finally {
      await stores.close();
    }
  },
};

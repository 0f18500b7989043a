import { parseArgs } from "node:util";
import { eventStoreBackend, loadOriginConfig } from "../../config.ts";
import { openOriginStores } from "../../ingest/index.ts";
import type { Command } from "../command.ts";

const usage = `usage: edgewise migrate

Applies pending SQL migrations (migrations/) to the event store the environment selects (EVENT_STORE,
DATABASE_URL, EDGEWISE_DATA_DIR or PGLITE_DIR) and creates the raw payload store's indexes (MongoDB when MONGODB_URL is set).
Safe to run again: applied migrations are skipped. One process at a time (a Postgres advisory lock):
another one started meanwhile waits, then finds nothing left to apply.`;

export const migrateCommand: Command = {
  summary: "apply the database migrations",
  usage,
  async run(args) {
    parseArgs({ args, options: {} });
    const config = loadOriginConfig();
    const stores = await openOriginStores(config);
    try {
      const report = await stores.migrate(() =>
        console.log("another process is applying migrations: waiting for it to finish"),
      );
      const applied =
        report.applied === 0
          ? `nothing to apply, ${report.total} migrations already applied`
          : `applied ${report.applied} of ${report.total} migrations`;
      console.log(
        `migrated the ${eventStoreBackend(config)} event store (${stores.rawStore.backend} raw payloads): ${applied}` +
          (report.waited ? " (after waiting for another process)" : ""),
      );
      return 0;
    } finally {
      await stores.close();
    }
  },
};

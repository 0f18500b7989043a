/**
 * Opens the stores the configuration selects: the event store (PGlite, Postgres or Neon) and the raw
 * payload store (MongoDB, or JSONB tables in the event store's database).
 */
import { ConfigError, eventStoreBackend, type OriginConfig } from "../config.ts";
import {
  createMongoRawPayloadStore,
  createPostgresJsonbRawPayloadStore,
  type RawPayloadStore,
} from "./raw/index.ts";
import {
  createSqlEventStore,
  type EventStore,
  type MigrationReport,
  openNeonDatabase,
  openPgliteDatabase,
  openPostgresDatabase,
  type SqlDatabase,
} from "./store/index.ts";

export interface OriginStores {
  eventStore: EventStore;
  rawStore: RawPayloadStore;
  /** The event store's database, for other tables in it (the model registry); closed with the stores. */
  database: SqlDatabase;
  /**
   * Applies the SQL migrations (one process at a time: `onWait` is told when another is migrating) and
   * prepares the raw store (collections and indexes).
   */
  migrate(onWait?: () => void): Promise<MigrationReport>;
  close(): Promise<void>;
}

async function openDatabase(config: OriginConfig): Promise<SqlDatabase> {
  const backend = eventStoreBackend(config);
  if (backend === "pglite") {
    return openPgliteDatabase({ dataDir: config.PGLITE_DIR });
  }
  if (config.DATABASE_URL === undefined) {
    throw new ConfigError(`EVENT_STORE=${backend} needs DATABASE_URL`);
  }
  const options = { connectionString: config.DATABASE_URL, maxConnections: config.DB_POOL_MAX };
  if (backend === "postgres") {
    return openPostgresDatabase(options);
  }
  return openNeonDatabase(
    config.NEON_WS_PROXY === undefined ? options : { ...options, wsProxy: config.NEON_WS_PROXY },
  );
}

export async function openOriginStores(config: OriginConfig): Promise<OriginStores> {
  const database = await openDatabase(config);
  const eventStore = createSqlEventStore(database, config.STORE_BULK_MODE);
  let rawStore: RawPayloadStore;
  try {
    rawStore =
      config.MONGODB_URL === undefined
        ? createPostgresJsonbRawPayloadStore(database.sql)
        : await createMongoRawPayloadStore({ url: config.MONGODB_URL, database: config.MONGODB_DATABASE });
  } catch (error) {
    await eventStore.close();
    throw error;
  }
  return {
    eventStore,
    rawStore,
    database,
    async migrate(onWait) {
      const report = await eventStore.migrate(onWait);
      await rawStore.prepare();
      return report;
    },
    async close() {
      await rawStore.close();
      await eventStore.close();
    },
  };
}

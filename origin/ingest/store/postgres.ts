/**
 * A Postgres server through node-postgres (DATABASE_URL). Bulk loads use COPY by default; "insert"
 * (multi-row INSERT … VALUES) serves proxies or poolers that do not pass COPY through.
 */
import { drizzle } from "drizzle-orm/node-postgres";
import { migrate } from "drizzle-orm/node-postgres/migrator";
import pg from "pg";
import type { EventStore } from "./event-store.ts";
import { lockedMigrations } from "./migrate-under-lock.ts";
import { createPgPoolSqlClient } from "./pg-pool-sql-client.ts";
import type { SqlDatabase } from "./sql-client.ts";
import { type BulkMode, createSqlEventStore } from "./sql-event-store.ts";

export interface PostgresEventStoreOptions {
  connectionString: string;
  /** Default "copy". */
  bulkMode?: BulkMode;
  /** Pool size; default 10. */
  maxConnections?: number;
  onIdleError?: (error: Error) => void;
}

export async function openPostgresDatabase(options: PostgresEventStoreOptions): Promise<SqlDatabase> {
  const pool = new pg.Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  const db = drizzle({ client: pool });
  const sql = createPgPoolSqlClient(pool, options.onIdleError ? { onIdleError: options.onIdleError } : {});
  return { backend: "postgres", sql, db, migrate: lockedMigrations(sql, db, migrate) };
}

export async function createPostgresEventStore(options: PostgresEventStoreOptions): Promise<EventStore> {
  return createSqlEventStore(await openPostgresDatabase(options), options.bulkMode);
}

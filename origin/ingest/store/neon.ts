/**
 * Neon through its serverless driver (Postgres over WebSockets), the production driver for Neon. Locally,
 * and in tests, it reaches a plain Postgres through neon-local-relay.ts (NEON_WS_PROXY). The driver's
 * settings are process-wide (neonConfig), so one process talks to one Neon configuration.
 */
import { neonConfig, Pool } from "@neondatabase/serverless";
import { drizzle } from "drizzle-orm/neon-serverless";
import { migrate } from "drizzle-orm/neon-serverless/migrator";
import type pg from "pg";
import ws from "ws";
import type { EventStore } from "./event-store.ts";
import { lockedMigrations } from "./migrate-under-lock.ts";
import { createPgPoolSqlClient } from "./pg-pool-sql-client.ts";
import type { SqlDatabase } from "./sql-client.ts";
import { type BulkMode, createSqlEventStore } from "./sql-event-store.ts";

export interface NeonEventStoreOptions {
  connectionString: string;
  /**
   * A WebSocket proxy (`host:port/path` or a function of the database host and port) in front of a
   * non-Neon Postgres, such as neon-local-relay.ts. When set, the driver uses plain ws://, does not
   * pipeline the password (a trust-auth server rejects it), and writes each message at once.
   */
  wsProxy?: string | ((host: string, port: number | string) => string);
  /** Default "copy". */
  bulkMode?: BulkMode;
  maxConnections?: number;
  onIdleError?: (error: Error) => void;
}

export async function openNeonDatabase(options: NeonEventStoreOptions): Promise<SqlDatabase> {
  neonConfig.webSocketConstructor = ws;
  if (options.wsProxy !== undefined) {
    neonConfig.wsProxy = options.wsProxy;
    neonConfig.useSecureWebSocket = false;
    neonConfig.pipelineConnect = false;
    // The default batches writes on a timer: 1.4 ms per query instead of 0.27 ms on loopback.
    neonConfig.coalesceWrites = false;
  }
  const pool = new Pool({ connectionString: options.connectionString, max: options.maxConnections ?? 10 });
  const db = drizzle({ client: pool });
  // The Neon Pool is node-postgres's Pool, forked: the same client API at run time, COPY included; only
  // its bundled type declarations differ from @types/pg.
  const sql = createPgPoolSqlClient(
    pool as unknown as pg.Pool,
    options.onIdleError ? { onIdleError: options.onIdleError } : {},
  );
  return { backend: "neon", sql, db, migrate: lockedMigrations(sql, db, migrate) };
}

export async function createNeonEventStore(options: NeonEventStoreOptions): Promise<EventStore> {
  return createSqlEventStore(await openNeonDatabase(options), options.bulkMode);
}

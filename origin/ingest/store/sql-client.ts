import type { PgDatabase, PgQueryResultHKT } from "drizzle-orm/pg-core";
import type { EventStoreBackend } from "./event-store.ts";
import type { MigrationReport } from "./migrate-under-lock.ts";
import type { RunLocks } from "./run-locks.ts";

/**
 * The little each backend must provide under the shared SQL event store: parameterised queries with rows
 * as arrays, COPY FROM of text-format data, and transactions on one connection. The bulk paths are
 * written against this, below drizzle, because drizzle's per-row builder is the bottleneck there.
 */
export interface SqlSession {
  /** Rows as arrays, in the order of the select list. */
  query(text: string, params?: readonly unknown[]): Promise<unknown[][]>;
  /** COPY `table (columns)` FROM the given PostgreSQL text-format data. */
  copyFrom(table: string, columns: readonly string[], data: string): Promise<void>;
}

export interface SqlClient extends SqlSession {
  /**
   * Runs `work` in one transaction on one connection; commits when it resolves, rolls back when it
   * throws. `prepare` runs outside any transaction on each connection that has not run that same function
   * yet (before its first transaction there), for session state such as temporary tables.
   */
  transaction<T>(
    work: (session: SqlSession) => Promise<T>,
    prepare?: (session: SqlSession) => Promise<void>,
  ): Promise<T>;
  close(): Promise<void>;
  /** One migration, training, learning run or publish at a time among everyone on this database. */
  locks: RunLocks;
}

/**
 * An open database: the raw client for bulk paths, drizzle for the rest, and the migrator. The event
 * store and the Postgres raw-payload store share one, which closes with `sql.close()`.
 */
export interface SqlDatabase {
  backend: EventStoreBackend;
  sql: SqlClient;
  db: PgDatabase<PgQueryResultHKT>;
  /** Applies pending migrations under the `migrate` lock; `onWait` is told when another holds it. */
  migrate(onWait?: () => void): Promise<MigrationReport>;
}

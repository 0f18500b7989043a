/**
 * PGlite (Postgres compiled to WebAssembly, in this process): the default store, no server needed.
 * Persisted to a directory, or in memory without one (tests). One connection, so transactions queue, and
 * one process: a lock file beside the directory refuses a second one (pglite-lock.ts).
 */
import { mkdir } from "node:fs/promises";
import { dirname, resolve } from "node:path";
import { PGlite, type Transaction } from "@electric-sql/pglite";
import { drizzle } from "drizzle-orm/pglite";
import { migrate } from "drizzle-orm/pglite/migrator";
import type { EventStore } from "./event-store.ts";
import { lockedMigrations } from "./migrate-under-lock.ts";
import { lockPgliteDir, type PgliteLock } from "./pglite-lock.ts";
import { inProcessRunLocks } from "./run-locks.ts";
import type { SqlClient, SqlDatabase, SqlSession } from "./sql-client.ts";
import { type BulkMode, createSqlEventStore } from "./sql-event-store.ts";

export interface PgliteEventStoreOptions {
  /** Directory that holds the database; created if missing. Omit for an in-memory database. */
  dataDir?: string;
  /** Default "copy" (PGlite reads COPY data from a Blob). */
  bulkMode?: BulkMode;
}

function sessionOf(target: PGlite | Transaction): SqlSession {
  return {
    async query(text, params = []) {
      const result = await target.query<unknown[]>(text, [...params], { rowMode: "array" });
      return result.rows;
    },
    async copyFrom(table, columns, data) {
      await target.query(`COPY ${table} (${columns.join(",")}) FROM '/dev/blob'`, [], {
        blob: new Blob([data]),
      });
    },
  };
}

export async function openPgliteDatabase(options: { dataDir?: string } = {}): Promise<SqlDatabase> {
  let pglite: PGlite;
  let lock: PgliteLock | null = null;
  if (options.dataDir === undefined) {
    pglite = await PGlite.create();
  } else {
    const dataDir = resolve(options.dataDir);
    // PGlite creates only the last directory of the path.
    await mkdir(dirname(dataDir), { recursive: true });
    lock = await lockPgliteDir(dataDir);
    try {
      pglite = await PGlite.create({ dataDir });
    } catch (error) {
      await lock.release();
      throw error;
    }
  }
  const db = drizzle({ client: pglite });
  const prepared = new Set<(session: SqlSession) => Promise<void>>();
  const sql: SqlClient = {
    ...sessionOf(pglite),
    async transaction(work, prepare) {
      if (prepare && !prepared.has(prepare)) {
        await prepare(sessionOf(pglite));
        prepared.add(prepare);
      }
      return pglite.transaction((tx) => work(sessionOf(tx)));
    },
    async close() {
      try {
        await pglite.close();
      } finally {
        await lock?.release();
      }
    },
    // One process owns the directory, so this process's locks are everyone's.
    locks: inProcessRunLocks(),
  };
  return { backend: "pglite", sql, db, migrate: lockedMigrations(sql, db, migrate) };
}

export async function createPgliteEventStore(options: PgliteEventStoreOptions = {}): Promise<EventStore> {
  return createSqlEventStore(await openPgliteDatabase(options), options.bulkMode);
}

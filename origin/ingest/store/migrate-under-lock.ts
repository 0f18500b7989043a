/**
 * Migrations under the `migrate` run lock: drizzle's migrator has no lock of its own, so two instances
 * starting with MIGRATE_ON_START would apply the same migration twice. Under the lock the second waits,
 * then finds every migration recorded and applies none. The report counts drizzle's own ledger
 * (drizzle.__drizzle_migrations) before and after.
 */
import { MIGRATIONS_FOLDER } from "./migrations-folder.ts";
import { inTurn } from "./run-locks.ts";
import type { SqlClient } from "./sql-client.ts";

export interface MigrationReport {
  /** Migrations this call applied. */
  applied: number;
  /** Migrations recorded in the database afterwards. */
  total: number;
  /** Whether another process or instance held the lock first. */
  waited: boolean;
}

async function recordedMigrations(sql: SqlClient): Promise<number> {
  const [exists] = await sql.query("SELECT to_regclass('drizzle.__drizzle_migrations') IS NOT NULL");
  if (exists?.[0] !== true) {
    return 0;
  }
  const [row] = await sql.query("SELECT count(*)::int FROM drizzle.__drizzle_migrations");
  return Number(row?.[0] ?? 0);
}

export async function migrateUnderLock(
  sql: SqlClient,
  migrate: () => Promise<void>,
  onWait?: () => void,
): Promise<MigrationReport> {
  let waited = false;
  const counts = await inTurn(
    sql.locks,
    "migrate",
    async () => {
      const before = await recordedMigrations(sql);
      await migrate();
      const total = await recordedMigrations(sql);
      return { applied: total - before, total };
    },
    () => {
      waited = true;
      onWait?.();
    },
  );
  return { ...counts, waited };
}

/**
 * A backend's `migrate()`: migrations/ applied by that driver's drizzle migrator, under the lock. Each
 * backend passes its own migrator (drizzle has one per driver) and its database handle.
 */
export function lockedMigrations<D>(
  sql: SqlClient,
  db: D,
  migrator: (db: D, config: { migrationsFolder: string }) => Promise<unknown>,
): (onWait?: () => void) => Promise<MigrationReport> {
  return (onWait) =>
    migrateUnderLock(
      sql,
      async () => {
        await migrator(db, { migrationsFolder: MIGRATIONS_FOLDER });
      },
      onWait,
    );
}

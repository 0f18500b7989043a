/**
 * Waits until a test database has a transaction in progress (a batch being written), then cuts it off:
 * for the tests that kill the connection in the middle of a batch.
 */
import pg from "pg";
import { TEST_DATABASE_URL } from "./postgres.ts";

/** Polls pg_stat_activity for a busy transaction in `database`; calls `cut` once when it sees one. */
export async function cutWhenBusy(
  database: string,
  cut: (pids: number[], admin: pg.Client) => Promise<void> | void,
  timeoutMs = 20_000,
): Promise<boolean> {
  const admin = new pg.Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const { rows } = await admin.query<{ pid: number }>(
        `SELECT pid FROM pg_stat_activity
         WHERE datname = $1 AND pid <> pg_backend_pid() AND xact_start IS NOT NULL AND state <> 'idle'`,
        [database],
      );
      if (rows.length > 0) {
        await cut(
          rows.map((row) => row.pid),
          admin,
        );
        return true;
      }
      await new Promise((resolve) => setTimeout(resolve, 2));
    }
    return false;
  } finally {
    await admin.end();
  }
}

/**
 * A second process for the PGlite lock tests: opens the database in argv[2], prints "open" and keeps it
 * open until SIGTERM (closing it then) or SIGKILL (leaving a stale lock, as a crash would).
 */
import { openPgliteDatabase } from "../../../../../origin/ingest/store/pglite.ts";

const database = await openPgliteDatabase({ dataDir: process.argv[2]! });
await database.sql.query("SELECT 1");
process.stdout.write("open\n");
process.once("SIGTERM", async () => {
  await database.sql.close();
  process.exit(0);
});
setInterval(() => {}, 60_000);

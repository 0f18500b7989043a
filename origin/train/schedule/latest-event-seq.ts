import type { SqlClient } from "../../ingest/index.ts";

/**
 * The highest events.seq, 0 for an empty log: how the scheduler counts new records. An index-only
 * lookup (events_seq_idx), where count(*) would scan the whole log on every poll. Sequences can skip
 * values (a rolled-back batch), so the difference slightly overstates new records; for a retrain
 * threshold that is harmless.
 */
export async function latestEventSeq(sql: Pick<SqlClient, "query">): Promise<number> {
  const rows = await sql.query("SELECT coalesce(max(seq), 0)::double precision FROM events");
  return Number(rows[0]?.[0] ?? 0);
}

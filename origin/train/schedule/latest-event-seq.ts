import type { SqlClient } from "../../ingest/index.ts";

/**
 * The highest events.seq, 0 for an empty log: how the scheduler counts new records. Without a time, an
 * index-only lookup (events_seq_idx), where count(*) would scan the whole log on every poll. With one,
 * the highest seq received by then: a scan of the log (received_at has no index), which the scheduler
 * does once per training run. Sequences can skip values (a rolled-back batch), so the difference
 * slightly overstates new records; for a retrain threshold that is harmless.
 */
export async function latestEventSeq(sql: Pick<SqlClient, "query">, receivedBy?: Date): Promise<number> {
  const rows =
    receivedBy === undefined
      ? await sql.query("SELECT coalesce(max(seq), 0)::double precision FROM events")
      : await sql.query(
          "SELECT coalesce(max(seq), 0)::double precision FROM events WHERE received_at <= $1",
          [receivedBy.toISOString()],
        );
  return Number(rows[0]?.[0] ?? 0);
}

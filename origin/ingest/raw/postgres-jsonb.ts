/**
 * Raw payloads and item documents in JSONB tables of the event store's own database (the fallback when no
 * MONGODB_URL is set). Shares the event store's connection: closing this store leaves it open. Its writes
 * can run inside the event store's transaction (inEventTransaction), which is how the origin ingests.
 */
import { isStorableText } from "../../../models/contracts/index.ts";
import type { SqlClient, SqlSession } from "../store/index.ts";
import { boundedCopy, wellFormedText } from "./awkward-json.ts";
import { rawPayloadKey } from "./raw-payload-key.ts";
import type { ItemDocument, RawPayload, RawPayloadBatch, RawPayloadStore } from "./raw-payload-store.ts";

// One JSON parameter per batch, unpacked by the database: no per-row statement building. A payload that
// was JSON null comes out of jsonb_to_recordset as SQL NULL, and goes back in as JSON null. A record
// already kept (the same dedup_key) is left as it is.
const INSERT_PAYLOADS = `INSERT INTO raw_payloads (batch_id, position, event_id, accepted, received_at, payload, dedup_key)
SELECT $1, r.position, r.event_id, r.accepted, $2::timestamptz, coalesce(r.payload, 'null'::jsonb), r.dedup_key
FROM jsonb_to_recordset($3::text::jsonb) AS r(position integer, event_id text, accepted boolean, payload jsonb, dedup_key text)
ON CONFLICT (dedup_key) DO NOTHING`;

const INSERT_ITEM_DOCUMENTS = `INSERT INTO item_documents (event_id, item_id, ts, document)
SELECT r.event_id, r.item_id, to_timestamp(r.ts_ms / 1000), r.document
FROM jsonb_to_recordset($1::text::jsonb) AS r(event_id text, item_id text, ts_ms double precision, document jsonb)
ON CONFLICT (event_id) DO NOTHING`;

/** Bounded and with jsonb's forbidden characters replaced, so stringifying it and storing it cannot fail. */
const storable = (value: unknown) => boundedCopy(value, wellFormedText, isStorableText);

async function savePayloads(session: SqlSession, batch: RawPayloadBatch): Promise<void> {
  if (batch.payloads.length === 0) {
    return;
  }
  const rows = batch.payloads.map((p) => {
    const payload = storable(p.payload);
    return {
      position: p.position,
      event_id: p.eventId === null ? null : wellFormedText(p.eventId),
      accepted: p.accepted,
      payload,
      dedup_key: rawPayloadKey(p, () => JSON.stringify(payload) ?? "undefined"),
    };
  });
  await session.query(INSERT_PAYLOADS, [batch.batchId, batch.receivedAt.toISOString(), JSON.stringify(rows)]);
}

async function saveDocuments(session: SqlSession, documents: readonly ItemDocument[]): Promise<void> {
  if (documents.length === 0) {
    return;
  }
  const rows = documents.map((d) => ({
    event_id: d.eventId,
    item_id: d.itemId,
    ts_ms: d.tsMs,
    document: storable(d.document),
  }));
  await session.query(INSERT_ITEM_DOCUMENTS, [JSON.stringify(rows)]);
}

export function createPostgresJsonbRawPayloadStore(sql: SqlClient): RawPayloadStore {
  return {
    backend: "postgres-jsonb",
    // The tables come with the event store's migrations.
    async prepare() {},
    saveBatch: (batch) => savePayloads(sql, batch),
    saveItemDocuments: (documents) => saveDocuments(sql, documents),
    inEventTransaction: (batch, documents) => async (session) => {
      await savePayloads(session, batch);
      await saveDocuments(session, documents);
    },
    async latestItemDocument(itemId) {
      const rows = await sql.query(
        `SELECT event_id, item_id, (extract(epoch FROM ts) * 1000)::double precision, document
         FROM item_documents WHERE item_id = $1 ORDER BY ts DESC, event_id DESC LIMIT 1`,
        [itemId],
      );
      const row = rows[0];
      return row === undefined
        ? null
        : ({
            eventId: row[0] as string,
            itemId: row[1] as string,
            tsMs: row[2] as number,
            document: row[3] as Record<string, unknown>,
          } satisfies ItemDocument);
    },
    async batchPayloads(batchId) {
      const rows = await sql.query(
        "SELECT position, event_id, accepted, payload FROM raw_payloads WHERE batch_id = $1 ORDER BY position, id",
        [batchId],
      );
      return rows.map(
        (row): RawPayload => ({
          position: row[0] as number,
          eventId: row[1] as string | null,
          accepted: row[2] as boolean,
          payload: row[3],
        }),
      );
    },
    async close() {},
  };
}

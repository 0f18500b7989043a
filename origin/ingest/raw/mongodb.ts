/**
 * Raw payloads and item documents in MongoDB through the official driver. Tested here against CongoDB
 * (a wire-compatible server in TypeScript), not a real mongod: see test/origin/ingest/raw/mongodb.test.ts.
 */
import { createHash } from "node:crypto";
import { type Collection, MongoClient, ObjectId } from "mongodb";
import { boundedCopy, needsJsonText, wellFormedText } from "./awkward-json.ts";
import { rawPayloadKey } from "./raw-payload-key.ts";
import type { RawPayload, RawPayloadStore } from "./raw-payload-store.ts";

export interface MongoRawPayloadStoreOptions {
  url: string;
  /** Default "edgewise". */
  database?: string;
}

interface RawPayloadDoc {
  /** From the record's dedup key (see idOfKey): one document per record, however often it is sent. */
  _id: ObjectId;
  batch_id: string;
  position: number;
  event_id: string | null;
  accepted: boolean;
  received_at: Date;
  /** The payload as a document, or, when its field names are not plain MongoDB ones, as JSON text. */
  payload?: unknown;
  payload_json?: string;
}

/**
 * The document id of a dedup key: its SHA-256, cut to an ObjectId's 12 bytes. A string _id would read
 * better, but the server the tests run against (CongoDB) takes only ObjectIds; and an _id, unlike a
 * unique index, is unique on every server.
 */
function idOfKey(key: string): ObjectId {
  return new ObjectId(createHash("sha256").update(key).digest().subarray(0, 12));
}

/** Strings are kept exactly: as a document when BSON can hold it, as JSON text otherwise. */
const keepExactly = (text: string) => text;
const anyText = () => true;

interface ItemDoc {
  event_id: string;
  item_id: string;
  ts: Date;
  document: Record<string, unknown>;
}

export async function createMongoRawPayloadStore(
  options: MongoRawPayloadStoreOptions,
): Promise<RawPayloadStore> {
  const client = new MongoClient(options.url);
  await client.connect();
  const db = client.db(options.database ?? "edgewise");
  const raw: Collection<RawPayloadDoc> = db.collection("raw_payloads");
  const itemDocs: Collection<ItemDoc> = db.collection("item_documents");

  return {
    backend: "mongodb",
    async prepare() {
      await raw.createIndex({ batch_id: 1, position: 1 });
      await raw.createIndex({ event_id: 1 });
      await itemDocs.createIndex({ event_id: 1 }, { unique: true });
      await itemDocs.createIndex({ item_id: 1, ts: -1 });
    },
    async saveBatch(batch) {
      if (batch.payloads.length === 0) {
        return;
      }
      // Upserts that write only on insert: a record sent again leaves its first copy as it was.
      await raw.bulkWrite(
        batch.payloads.map((p) => {
          const payload = boundedCopy(p.payload, keepExactly, anyText);
          const asText = needsJsonText(payload);
          const json = () => JSON.stringify(payload) ?? "undefined";
          const doc: RawPayloadDoc = {
            _id: idOfKey(rawPayloadKey(p, json)),
            batch_id: batch.batchId,
            position: p.position,
            // The id of a rejected record can be any string: BSON holds only well-formed text.
            event_id: p.eventId === null ? null : wellFormedText(p.eventId),
            accepted: p.accepted,
            received_at: batch.receivedAt,
            ...(asText ? { payload_json: json() } : { payload }),
          };
          return { updateOne: { filter: { _id: doc._id }, update: { $setOnInsert: doc }, upsert: true } };
        }),
        { ordered: false },
      );
    },
    async saveItemDocuments(documents) {
      if (documents.length === 0) {
        return;
      }
      // Upsert by event_id, writing only on insert: a retried batch leaves the first copy untouched.
      await itemDocs.bulkWrite(
        documents.map((d) => ({
          updateOne: {
            filter: { event_id: d.eventId },
            update: {
              $setOnInsert: {
                event_id: d.eventId,
                item_id: d.itemId,
                ts: new Date(d.tsMs),
                document: d.document,
              },
            },
            upsert: true,
          },
        })),
        { ordered: false },
      );
    },
    async latestItemDocument(itemId) {
      const doc = await itemDocs.find({ item_id: itemId }).sort({ ts: -1, _id: -1 }).limit(1).next();
      return doc === null
        ? null
        : { eventId: doc.event_id, itemId: doc.item_id, tsMs: doc.ts.getTime(), document: doc.document };
    },
    async batchPayloads(batchId) {
      const docs = await raw.find({ batch_id: batchId }).sort({ position: 1 }).toArray();
      return docs.map(
        (d): RawPayload => ({
          position: d.position,
          eventId: d.event_id,
          accepted: d.accepted,
          payload: d.payload_json === undefined ? d.payload : JSON.parse(d.payload_json),
        }),
      );
    },
    close: () => client.close(),
  };
}

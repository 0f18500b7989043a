/**
 * Unstructured data beside the event store: every ingested record as it was received (valid or not), and
 * item documents with their free-form attributes. MongoDB when MONGODB_URL is set (mongodb.ts), else a
 * JSONB table in the event store's Postgres (postgres-jsonb.ts), so nothing received is lost either way.
 */
export type RawPayloadStoreBackend = "mongodb" | "postgres-jsonb";

export interface RawPayload {
  /** Position of the record in its batch. */
  position: number;
  /** The record's event_id when it had a string one. */
  eventId: string | null;
  /** Whether the record passed validation (a duplicate counts as accepted). */
  accepted: boolean;
  /** The parsed JSON value as received, or the raw text of a line that was not JSON. */
  payload: unknown;
}

export interface RawPayloadBatch {
  batchId: string;
  receivedAt: Date;
  payloads: RawPayload[];
}

export interface ItemDocument {
  /** The item record's event_id: saving the same record twice keeps one document. */
  eventId: string;
  itemId: string;
  tsMs: number;
  document: Record<string, unknown>;
}

export interface RawPayloadStore {
  readonly backend: RawPayloadStoreBackend;
  /** Creates collections/indexes where the backend needs them (idempotent). */
  prepare(): Promise<void>;
  saveBatch(batch: RawPayloadBatch): Promise<void>;
  /** Idempotent by eventId; a document per item record, so an item's history is kept. */
  saveItemDocuments(documents: readonly ItemDocument[]): Promise<void>;
  /** The document of the item record with the latest event time. */
  latestItemDocument(itemId: string): Promise<ItemDocument | null>;
  /** The payloads of one batch in position order (for inspection and tests). */
  batchPayloads(batchId: string): Promise<RawPayload[]>;
  close(): Promise<void>;
}

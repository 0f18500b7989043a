import type { TransactionStep } from "../store/index.ts";

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
  /**
   * The parsed JSON value as received, or the raw text of a line that was not JSON. Stored in the form
   * awkward-json.ts describes: nesting below 32 levels is cut, and where the backend cannot hold a
   * character (jsonb: U+0000, unpaired surrogates) it becomes U+FFFD.
   */
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
  /**
   * Idempotent by record (raw-payload-key.ts): a batch saved again keeps one copy of each record, under
   * the batch it first arrived in.
   */
  saveBatch(batch: RawPayloadBatch): Promise<void>;
  /**
   * Only for a store whose tables are in the event store's own database: saveBatch and
   * saveItemDocuments as one step of the event store's transaction (EventStore.insertBatch's
   * `alsoWrite`), so a batch's raw copies are committed with its events, or not at all.
   */
  inEventTransaction?(batch: RawPayloadBatch, documents: readonly ItemDocument[]): TransactionStep;
  /** Idempotent by eventId; a document per item record, so an item's history is kept. */
  saveItemDocuments(documents: readonly ItemDocument[]): Promise<void>;
  /** The document of the item record with the latest event time. */
  latestItemDocument(itemId: string): Promise<ItemDocument | null>;
  /** The payloads of one batch in position order (for inspection and tests). */
  batchPayloads(batchId: string): Promise<RawPayload[]>;
  close(): Promise<void>;
}

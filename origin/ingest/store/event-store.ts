/**
 * The event store: where validated records land and where trainers read them back. One interface, one
 * file per backend (pglite.ts, postgres.ts, neon.ts), one conformance suite that every backend passes
 * (test/origin/ingest/store/event-store.conformance.ts).
 */
import type {
  Attributes,
  EventContext,
  IngestRecord,
  InteractionType,
  RecordType,
} from "../../../models/contracts/index.ts";
import type { MigrationReport } from "./migrate-under-lock.ts";
import type { RunLocks } from "./run-locks.ts";
import type { SqlSession } from "./sql-client.ts";

export type EventStoreBackend = "pglite" | "postgres" | "neon";

/**
 * A write that must commit with a batch's events or not at all (the raw copies of the batch, when they
 * live in the same database): run inside insertBatch's transaction, on its session.
 */
export type TransactionStep = (session: SqlSession) => Promise<void>;

export interface InsertBatchResult {
  /** Records written by this call. */
  storedCount: number;
  /**
   * Positions (in the input array, ascending) of records not written because their event_id was already
   * stored or appeared earlier in the same batch.
   */
  duplicateIndexes: number[];
}

/**
 * A batch of interactions as columns, for trainers: one entry per event, no per-event objects.
 * User and item indexes are the `idx` of listUsers()/listItems() (stable, small, not dense).
 */
export interface InteractionBatch {
  length: number;
  /** events.seq of each event: ingestion order, strictly increasing within and across batches. */
  seq: Float64Array;
  userIdx: Int32Array;
  /** -1 where the event has no item (a page view). */
  itemIdx: Int32Array;
  /** INTERACTION_TYPE_CODE of each event. */
  typeCode: Uint8Array;
  tsMs: Float64Array;
  /** NaN where the event has no value. */
  value: Float32Array;
  /** Review or event text, only with `includeText`; null where absent. */
  text?: (string | null)[];
}

export interface StreamInteractionsOptions {
  /** Resume after this events.seq (the last `seq` of a previous batch). Default 0: from the start. */
  afterSeq?: number;
  /** Only events whose event time is at or after this (epoch ms). */
  sinceMs?: number;
  /** Only events whose event time is before this (epoch ms). */
  untilMs?: number;
  /** Default: every interaction type. */
  types?: readonly InteractionType[];
  /** Events per yielded batch; default 10,000. */
  batchSize?: number;
  includeText?: boolean;
}

/** An event as stored, for exports, debugging and tests (rows, not columns). */
export interface StoredEvent {
  seq: number;
  eventId: string;
  type: RecordType;
  userId: string | null;
  itemId: string | null;
  tsMs: number;
  value: number | null;
  text: string | null;
  context: EventContext | null;
  source: string;
  /** For user and item records: their fields other than event_id, ts, source, type and the id. */
  entity: Record<string, unknown> | null;
}

export interface StreamEventsOptions {
  afterSeq?: number;
  /** Default: every record type, user and item records included. */
  types?: readonly RecordType[];
  batchSize?: number;
}

export interface UserRow {
  idx: number;
  userId: string;
  attributes: Attributes;
  /** Event time of the user record the attributes came from; null if only seen in interactions. */
  attributesTsMs: number | null;
  firstSeenAt: Date;
}

export interface ItemRow {
  idx: number;
  itemId: string;
  title: string | null;
  text: string | null;
  categories: string[];
  price: number | null;
  imageUrl: string | null;
  attributes: Attributes;
  attributesTsMs: number | null;
  firstSeenAt: Date;
}

export interface EventStore {
  readonly backend: EventStoreBackend;
  /**
   * Applies pending migrations from migrations/ (idempotent), one process at a time (`onWait` is told
   * when another is migrating).
   */
  migrate(onWait?: () => void): Promise<MigrationReport>;
  /** One training or learning run, and one publish, at a time among everyone on this database. */
  readonly locks: RunLocks;
  /**
   * Writes validated records in one transaction: interactions and user/item records into the event log,
   * users and items created on first sight, user/item records applied last-writer-wins by event time.
   * Idempotent by event_id. Throws (having written nothing) when the database fails mid-way; retrying
   * the same batch is safe. `alsoWrite` runs in the same transaction (even when no record is new).
   */
  insertBatch(records: readonly IngestRecord[], alsoWrite?: TransactionStep): Promise<InsertBatchResult>;
  streamInteractions(options?: StreamInteractionsOptions): AsyncGenerator<InteractionBatch>;
  /**
   * Event time (epoch ms) of the newest stored interaction before `untilMs` (all of them when absent); null
   * when there is none. Training windows end here by default, so old data trains as it is.
   */
  newestInteractionMs(options?: { untilMs?: number }): Promise<number | null>;
  streamEvents(options?: StreamEventsOptions): AsyncGenerator<StoredEvent[]>;
  listUsers(): Promise<UserRow[]>;
  listItems(): Promise<ItemRow[]>;
  countEvents(types?: readonly RecordType[]): Promise<number>;
  /** Answers when the database answers; throws otherwise (for /health). */
  ping(): Promise<void>;
  close(): Promise<void>;
}

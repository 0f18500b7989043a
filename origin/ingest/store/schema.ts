/**
 * The origin's relational schema (drizzle-orm). `npm run db:generate` turns changes here into SQL under
 * migrations/, which every backend applies on start and with `edgewise migrate`.
 *
 * `events` is the log of every accepted record, keyed by the client's event_id (the idempotency key);
 * `users` and `items` are the current state built from it: created on first sight, with attributes from
 * the latest user/item record by event time. The bulk write path is hand-written SQL (see
 * batch-write-sql.ts and staging-rows.ts), so a column added here must be added to the staging table too.
 */

import { sql } from "drizzle-orm";
import {
  bigint,
  boolean,
  doublePrecision,
  index,
  integer,
  jsonb,
  pgTable,
  text,
  timestamp,
  uniqueIndex,
} from "drizzle-orm/pg-core";
import type { Attributes, EventContext } from "../../../models/contracts/index.ts";

const timestamptz = (name: string) => timestamp(name, { withTimezone: true, mode: "date" });

export const events = pgTable(
  "events",
  {
    eventId: text("event_id").primaryKey(),
    /** Ingestion order; the cursor that streaming reads resume from. */
    seq: bigint("seq", { mode: "number" }).generatedAlwaysAsIdentity().notNull(),
    type: text("type").notNull(),
    /** Null only for item records. */
    userId: text("user_id"),
    itemId: text("item_id"),
    ts: timestamptz("ts").notNull(),
    value: doublePrecision("value"),
    text: text("text"),
    context: jsonb("context").$type<EventContext>(),
    source: text("source").notNull(),
    /** For user and item records: the record's fields other than the common ones. */
    entity: jsonb("entity").$type<Record<string, unknown>>(),
    receivedAt: timestamptz("received_at").notNull().defaultNow(),
  },
  // Only the indexes the bulk path and the seq cursor need: each extra index costs about a third of the
  // insert throughput. Add one with the query that needs it.
  (table) => [uniqueIndex("events_seq_idx").on(table.seq)],
);

export const users = pgTable("users", {
  userId: text("user_id").primaryKey(),
  /** A small stable integer per user, for typed-array batches (not dense: sequences skip on races). */
  idx: integer("idx").generatedAlwaysAsIdentity().notNull().unique(),
  attributes: jsonb("attributes").$type<Attributes>().notNull().default(sql`'{}'::jsonb`),
  /** Event time of the user record the attributes came from; null while only seen in interactions. */
  attributesTs: timestamptz("attributes_ts"),
  firstSeenAt: timestamptz("first_seen_at").notNull().defaultNow(),
});

export const items = pgTable("items", {
  itemId: text("item_id").primaryKey(),
  /** A small stable integer per item, for typed-array batches (not dense: sequences skip on races). */
  idx: integer("idx").generatedAlwaysAsIdentity().notNull().unique(),
  title: text("title"),
  text: text("text"),
  categories: text("categories").array().notNull().default(sql`'{}'::text[]`),
  price: doublePrecision("price"),
  imageUrl: text("image_url"),
  attributes: jsonb("attributes").$type<Attributes>().notNull().default(sql`'{}'::jsonb`),
  /** Event time of the item record the fields came from; null while only seen in interactions. */
  attributesTs: timestamptz("attributes_ts"),
  firstSeenAt: timestamptz("first_seen_at").notNull().defaultNow(),
});

/** Raw payloads as received, when no MONGODB_URL is configured (the MongoDB backend's fallback). */
export const rawPayloads = pgTable(
  "raw_payloads",
  {
    id: bigint("id", { mode: "number" }).generatedAlwaysAsIdentity().primaryKey(),
    batchId: text("batch_id").notNull(),
    /** Position of the record in its batch. */
    position: integer("position").notNull(),
    eventId: text("event_id"),
    accepted: boolean("accepted").notNull(),
    receivedAt: timestamptz("received_at").notNull(),
    payload: jsonb("payload").notNull(),
    /**
     * What makes a copy the same record again (see origin/ingest/raw/raw-payload-key.ts): a batch sent twice
     * keeps one copy per record. Null only for rows stored before the column existed.
     */
    dedupKey: text("dedup_key"),
  },
  (table) => [
    index("raw_payloads_batch_idx").on(table.batchId),
    index("raw_payloads_event_idx").on(table.eventId),
    uniqueIndex("raw_payloads_dedup_idx").on(table.dedupKey),
  ],
);

/** Item documents with free-form attributes, one per item record (history kept), MongoDB's fallback. */
export const itemDocuments = pgTable(
  "item_documents",
  {
    eventId: text("event_id").primaryKey(),
    itemId: text("item_id").notNull(),
    ts: timestamptz("ts").notNull(),
    document: jsonb("document").$type<Record<string, unknown>>().notNull(),
  },
  (table) => [index("item_documents_item_ts_idx").on(table.itemId, table.ts)],
);

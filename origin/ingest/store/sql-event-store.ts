/**
 * The EventStore every Postgres-speaking backend shares. A batch goes into a session-local staging table
 * (COPY or multi-row INSERT), then set-based statements upsert user/item records, create users and items
 * on first sight, and move the events not yet in the log into it: all in one transaction, so a batch that
 * fails is written not at all and its retry is exact. Reads that return many rows use
 * raw SQL with rows as arrays; small reads go through drizzle.
 */

import { asc, inArray } from "drizzle-orm";
import {
  INTERACTION_TYPE_CODE,
  INTERACTION_TYPES,
  type IngestRecord,
  type InteractionType,
  RECORD_TYPES,
  type RecordType,
} from "../../../models/contracts/index.ts";
import {
  CREATE_FIRST_SEEN_ITEMS,
  CREATE_FIRST_SEEN_USERS,
  DROP_STORED,
  INSERT_EVENTS_SAFE,
  INSERT_NEW_EVENTS,
  lostRace,
  prepareStaging,
  UPSERT_ITEM_RECORDS,
  UPSERT_USER_RECORDS,
} from "./batch-write-sql.ts";
import type {
  EventStore,
  InsertBatchResult,
  InteractionBatch,
  ItemRow,
  StoredEvent,
  StreamEventsOptions,
  StreamInteractionsOptions,
  TransactionStep,
  UserRow,
} from "./event-store.ts";
import { knownIds } from "./known-ids.ts";
import { events, items, users } from "./schema.ts";
import type { SqlDatabase, SqlSession } from "./sql-client.ts";
import { STAGING_COLUMNS, STAGING_TABLE, toCopyText, toInsertStatements } from "./staging-rows.ts";

/** How a batch reaches the staging table: COPY (fastest) or multi-row INSERT … VALUES. */
export type BulkMode = "copy" | "insert";

const TS_MS = "(extract(epoch FROM e.ts) * 1000)::double precision";

/** Types are checked against the known set, so inlining them as literals is safe. */
function typeFilter<T extends string>(types: readonly T[], known: readonly string[]): string {
  for (const type of types) {
    if (!known.includes(type)) {
      throw new Error(`unknown event type ${JSON.stringify(type)}`);
    }
  }
  return types.length === 0 ? "false" : `e.type IN (${types.map((t) => `'${t}'`).join(",")})`;
}

const toMs = (value: Date | null): number | null => (value === null ? null : value.getTime());

/** The event store over an open database; closing the store closes the database. */
export function createSqlEventStore(database: SqlDatabase, bulkMode: BulkMode = "copy"): EventStore {
  const { sql, db } = database;
  const knownUsers = knownIds();
  const knownItems = knownIds();

  async function stage(session: SqlSession, records: readonly IngestRecord[], positions: number[]) {
    if (bulkMode === "copy") {
      await session.copyFrom(STAGING_TABLE, STAGING_COLUMNS, toCopyText(records, positions));
      return;
    }
    for (const statement of toInsertStatements(records, positions)) {
      await session.query(statement.text, statement.params);
    }
  }

  async function insertBatch(
    records: readonly IngestRecord[],
    alsoWrite?: TransactionStep,
  ): Promise<InsertBatchResult> {
    const firstPositions: number[] = [];
    const duplicateIndexes: number[] = [];
    const seen = new Set<string>();
    const newUsers = new Set<string>();
    const newItems = new Set<string>();
    let hasUserRecords = false;
    let hasItemRecords = false;
    for (let i = 0; i < records.length; i++) {
      const record = records[i]!;
      if (seen.has(record.event_id)) {
        duplicateIndexes.push(i);
        continue;
      }
      seen.add(record.event_id);
      firstPositions.push(i);
      hasUserRecords ||= record.type === "user";
      hasItemRecords ||= record.type === "item";
      if (record.type !== "item") {
        knownUsers.collectUnknown(record.user_id, newUsers);
      }
      if (record.type !== "user" && record.item_id !== undefined) {
        knownItems.collectUnknown(record.item_id, newItems);
      }
    }
    if (firstPositions.length === 0) {
      if (alsoWrite) {
        await sql.transaction(alsoWrite);
      }
      return { storedCount: 0, duplicateIndexes };
    }
    firstPositions.sort((a, b) => (records[a]!.event_id < records[b]!.event_id ? -1 : 1));
    const write = (safe: boolean) =>
      sql.transaction(async (session) => {
        await alsoWrite?.(session);
        await stage(session, records, firstPositions);
        if (hasUserRecords) {
          await session.query(UPSERT_USER_RECORDS);
        }
        if (hasItemRecords) {
          await session.query(UPSERT_ITEM_RECORDS);
        }
        if (newUsers.size > 0) {
          await session.query(CREATE_FIRST_SEEN_USERS, [JSON.stringify([...newUsers])]);
        }
        if (newItems.size > 0) {
          await session.query(CREATE_FIRST_SEEN_ITEMS, [JSON.stringify([...newItems])]);
        }
        if (safe) {
          return (await session.query(INSERT_EVENTS_SAFE)).map((row) => Number(row[0]));
        }
        const stored = (await session.query(DROP_STORED)).map((row) => Number(row[0]));
        await session.query(INSERT_NEW_EVENTS);
        return stored;
      }, prepareStaging);
    let alreadyStored: number[];
    try {
      alreadyStored = await write(false);
    } catch (error) {
      if (!lostRace(error)) {
        throw error;
      }
      alreadyStored = await write(true);
    }
    knownUsers.remember(newUsers);
    knownItems.remember(newItems);
    duplicateIndexes.push(...alreadyStored);
    duplicateIndexes.sort((a, b) => a - b);
    return { storedCount: firstPositions.length - alreadyStored.length, duplicateIndexes };
  }

  async function* streamInteractions(
    options: StreamInteractionsOptions = {},
  ): AsyncGenerator<InteractionBatch> {
    const batchSize = options.batchSize ?? 10_000;
    const includeText = options.includeText ?? false;
    const conditions = ["e.seq > $1", typeFilter(options.types ?? INTERACTION_TYPES, INTERACTION_TYPES)];
    const params: unknown[] = [0];
    if (options.sinceMs !== undefined) {
      params.push(new Date(options.sinceMs).toISOString());
      conditions.push(`e.ts >= $${params.length}::timestamptz`);
    }
    if (options.untilMs !== undefined) {
      params.push(new Date(options.untilMs).toISOString());
      conditions.push(`e.ts < $${params.length}::timestamptz`);
    }
    // Page on the events' seq index first, then join the page: joining first lets a planner without
    // fresh statistics (PGlite never runs autovacuum's ANALYZE) join and sort every remaining event
    // for each page, which made a full read quadratic.
    const text = `SELECT e.seq::double precision, u.idx, coalesce(i.idx, -1), e.type, ${TS_MS}, e.value${
      includeText ? ", e.text" : ""
    }
FROM (SELECT * FROM events e WHERE ${conditions.join(" AND ")} ORDER BY e.seq LIMIT ${Math.max(1, Math.floor(batchSize))}) e
JOIN users u ON u.user_id = e.user_id LEFT JOIN items i ON i.item_id = e.item_id ORDER BY e.seq`;
    let afterSeq = options.afterSeq ?? 0;
    for (;;) {
      params[0] = afterSeq;
      const rows = await sql.query(text, params);
      if (rows.length === 0) {
        return;
      }
      const n = rows.length;
      const batch: InteractionBatch = {
        length: n,
        seq: new Float64Array(n),
        userIdx: new Int32Array(n),
        itemIdx: new Int32Array(n),
        typeCode: new Uint8Array(n),
        tsMs: new Float64Array(n),
        value: new Float32Array(n),
      };
      const texts: (string | null)[] | undefined = includeText ? new Array(n) : undefined;
      for (let r = 0; r < n; r++) {
        const row = rows[r]!;
        batch.seq[r] = row[0] as number;
        batch.userIdx[r] = row[1] as number;
        batch.itemIdx[r] = row[2] as number;
        batch.typeCode[r] = INTERACTION_TYPE_CODE[row[3] as InteractionType];
        batch.tsMs[r] = row[4] as number;
        batch.value[r] = row[5] === null ? Number.NaN : (row[5] as number);
        if (texts) {
          texts[r] = row[6] as string | null;
        }
      }
      if (texts) {
        batch.text = texts;
      }
      yield batch;
      afterSeq = batch.seq[n - 1]!;
      if (n < batchSize) {
        return;
      }
    }
  }

  async function* streamEvents(options: StreamEventsOptions = {}): AsyncGenerator<StoredEvent[]> {
    const batchSize = Math.max(1, Math.floor(options.batchSize ?? 10_000));
    // Page on the events' seq index first, then join the page: joining first lets a planner without
    // fresh statistics (PGlite never runs autovacuum's ANALYZE) join and sort every remaining event
    // for each page, which made a full read quadratic.
    const text = `SELECT e.seq::double precision, e.event_id, e.type, e.user_id, e.item_id, ${TS_MS}, e.value,
  e.text, e.context, e.source, e.entity
FROM events e WHERE e.seq > $1 AND ${typeFilter(options.types ?? RECORD_TYPES, RECORD_TYPES)}
ORDER BY e.seq LIMIT ${batchSize}`;
    let afterSeq = options.afterSeq ?? 0;
    for (;;) {
      const rows = await sql.query(text, [afterSeq]);
      if (rows.length === 0) {
        return;
      }
      const batch = rows.map(
        (row): StoredEvent => ({
          seq: row[0] as number,
          eventId: row[1] as string,
          type: row[2] as RecordType,
          userId: row[3] as string | null,
          itemId: row[4] as string | null,
          tsMs: row[5] as number,
          value: row[6] as number | null,
          text: row[7] as string | null,
          context: row[8] as StoredEvent["context"],
          source: row[9] as string,
          entity: row[10] as StoredEvent["entity"],
        }),
      );
      yield batch;
      afterSeq = batch[batch.length - 1]!.seq;
      if (rows.length < batchSize) {
        return;
      }
    }
  }

  async function listUsers(): Promise<UserRow[]> {
    const rows = await db.select().from(users).orderBy(asc(users.idx));
    return rows.map((row) => ({
      idx: row.idx,
      userId: row.userId,
      attributes: row.attributes,
      attributesTsMs: toMs(row.attributesTs),
      firstSeenAt: row.firstSeenAt,
    }));
  }

  async function listItems(): Promise<ItemRow[]> {
    const rows = await db.select().from(items).orderBy(asc(items.idx));
    return rows.map((row) => ({
      idx: row.idx,
      itemId: row.itemId,
      title: row.title,
      text: row.text,
      categories: row.categories,
      price: row.price,
      imageUrl: row.imageUrl,
      attributes: row.attributes,
      attributesTsMs: toMs(row.attributesTs),
      firstSeenAt: row.firstSeenAt,
    }));
  }

  async function newestInteractionMs(options: { untilMs?: number } = {}): Promise<number | null> {
    const until = options.untilMs === undefined ? "" : " AND e.ts < $1::timestamptz";
    const rows = await sql.query(
      `SELECT max(${TS_MS}) FROM events e WHERE ${typeFilter(INTERACTION_TYPES, INTERACTION_TYPES)}${until}`,
      options.untilMs === undefined ? [] : [new Date(options.untilMs).toISOString()],
    );
    const newest = rows[0]?.[0];
    return newest === null || newest === undefined ? null : Number(newest);
  }

  async function countEvents(types?: readonly RecordType[]): Promise<number> {
    return types === undefined ? db.$count(events) : db.$count(events, inArray(events.type, [...types]));
  }

  return {
    backend: database.backend,
    migrate: database.migrate,
    locks: sql.locks,
    insertBatch,
    streamInteractions,
    newestInteractionMs,
    streamEvents,
    listUsers,
    listItems,
    countEvents,
    async ping() {
      await sql.query("SELECT 1");
    },
    close: () => sql.close(),
  };
}

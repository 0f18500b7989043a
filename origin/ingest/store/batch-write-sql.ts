/**
 * The SQL that writes one batch, from the staging table into events, users and items (see
 * sql-event-store.ts for the order it runs in). Hand-written set-based statements: the bulk path.
 */
import type { SqlSession } from "./sql-client.ts";
import { CREATE_STAGING_TABLE, STAGING_TABLE } from "./staging-rows.ts";

const S = STAGING_TABLE;
const STAGED_TS = "to_timestamp(ts_ms / 1000)";

/**
 * A batch (thousands of staged rows) meets tables that grow to millions: each staged id must be one index
 * probe. Written as a join, the planner hashes the whole table instead whenever its statistics are stale
 * (PGlite never runs autovacuum's ANALYZE, and a bulk load outruns it on a server), so every batch scanned
 * all of `events` and a large import went quadratic (measured: a 5,000-row batch over 100,000 stored events
 * spent 350 ms hashing them). `OFFSET 0` keeps the subquery from being pulled up into a join: it runs per
 * staged row, on the table's unique index, whatever the statistics say.
 */
const stored = (table: string, column: string) =>
  `EXISTS (SELECT 1 FROM ${table} t WHERE t.${column} = s.${column} OFFSET 0)`;

// Last writer by event time wins; within a batch, the later position breaks a tie.
export const UPSERT_USER_RECORDS = `INSERT INTO users (user_id, attributes, attributes_ts)
SELECT DISTINCT ON (user_id) user_id, coalesce(entity->'attributes', '{}'::jsonb), ${STAGED_TS}
FROM ${S} WHERE type = 'user' ORDER BY user_id, ts_ms DESC, position DESC
ON CONFLICT (user_id) DO UPDATE SET attributes = excluded.attributes, attributes_ts = excluded.attributes_ts
WHERE users.attributes_ts IS NULL OR users.attributes_ts <= excluded.attributes_ts`;

export const UPSERT_ITEM_RECORDS = `INSERT INTO items (item_id, title, text, categories, price, image_url, attributes, attributes_ts)
SELECT DISTINCT ON (item_id) item_id, entity->>'title', entity->>'text',
  ARRAY(SELECT jsonb_array_elements_text(coalesce(entity->'categories', '[]'::jsonb))),
  (entity->>'price')::double precision, entity->>'image_url', coalesce(entity->'attributes', '{}'::jsonb),
  ${STAGED_TS}
FROM ${S} WHERE type = 'item' ORDER BY item_id, ts_ms DESC, position DESC
ON CONFLICT (item_id) DO UPDATE SET title = excluded.title, text = excluded.text,
  categories = excluded.categories, price = excluded.price, image_url = excluded.image_url,
  attributes = excluded.attributes, attributes_ts = excluded.attributes_ts
WHERE items.attributes_ts IS NULL OR items.attributes_ts <= excluded.attributes_ts`;

/**
 * Users and items met for the first time, from the batch's ids that this store does not already know to be
 * there (known-ids.ts), passed as one JSON array: a probe per new id rather than per staged row. NOT EXISTS
 * first so that known ids do not consume identity values (ON CONFLICT alone would, for every row).
 */
const createFirstSeen = (table: "users" | "items", column: "user_id" | "item_id") =>
  `INSERT INTO ${table} (${column})
SELECT s.${column} FROM json_array_elements_text($1::text::json) AS s(${column})
WHERE NOT ${stored(table, column)}
ORDER BY 1 ON CONFLICT DO NOTHING`;
export const CREATE_FIRST_SEEN_USERS = createFirstSeen("users", "user_id");
export const CREATE_FIRST_SEEN_ITEMS = createFirstSeen("items", "item_id");

// The fast path, for batches whose ids are new: drop the staged rows already in the log (returning their
// positions, the duplicates), then a plain INSERT. Plain because ON CONFLICT's speculative insertion costs
// about a third of the throughput. A concurrent writer can still insert one of the ids between the two
// statements: the INSERT then fails with a unique violation and the batch is redone with INSERT_EVENTS_SAFE.
export const DROP_STORED = `DELETE FROM ${S} s WHERE ${stored("events", "event_id")} RETURNING s.position`;
// Rows were staged in event_id order, so concurrent batches sharing ids mostly take their locks in the same
// order; a deadlock all the same is detected by Postgres and the batch redone safely. (An ORDER BY here
// would cost a sort per batch for what is only a heuristic.)
export const INSERT_NEW_EVENTS = `INSERT INTO events (event_id, type, user_id, item_id, ts, value, text, context, source, entity)
SELECT event_id, type, user_id, item_id, ${STAGED_TS}, value, text, context, source, entity FROM ${S}`;

// The safe path: ON CONFLICT DO NOTHING, returning the staged positions that were not inserted.
export const INSERT_EVENTS_SAFE = `WITH inserted AS (
  INSERT INTO events (event_id, type, user_id, item_id, ts, value, text, context, source, entity)
  SELECT event_id, type, user_id, item_id, ${STAGED_TS}, value, text, context, source, entity
  FROM ${S} ORDER BY event_id
  ON CONFLICT (event_id) DO NOTHING RETURNING event_id
)
SELECT s.position FROM ${S} s WHERE NOT EXISTS (SELECT 1 FROM inserted n WHERE n.event_id = s.event_id)`;

/** A concurrent batch got there first (unique_violation) or locked the other way round (deadlock_detected). */
export function lostRace(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;
  return code === "23505" || code === "40P01";
}

/** Per connection, before its first batch (the SqlClient remembers which connections ran it). */
export async function prepareStaging(session: SqlSession): Promise<void> {
  await session.query(CREATE_STAGING_TABLE);
}

/**
 * The staging table a batch passes through on its way into `events`, `users` and `items`, and the two
 * ways to fill it: COPY text format (the fastest) and multi-row INSERT … VALUES (for drivers or proxies
 * without COPY). Both are built by hand from the validated records: drizzle's per-row builder would cost
 * more CPU than the database spends storing the rows.
 */
import type { IngestRecord } from "../../../models/contracts/index.ts";

export const STAGING_TABLE = "edgewise_staging";

export const STAGING_COLUMNS = [
  "position",
  "event_id",
  "type",
  "user_id",
  "item_id",
  "ts_ms",
  "value",
  "text",
  "context",
  "source",
  "entity",
] as const;

/** Session-local and emptied at every commit, so it is created once per connection and never cleaned up. */
export const CREATE_STAGING_TABLE = `CREATE TEMP TABLE IF NOT EXISTS ${STAGING_TABLE} (
  position integer NOT NULL, event_id text NOT NULL, type text NOT NULL, user_id text, item_id text,
  ts_ms double precision NOT NULL, value double precision, text text, context jsonb, source text NOT NULL, entity jsonb
) ON COMMIT DELETE ROWS`;

type Cell = string | number | null;

/** One record as the staging columns, in STAGING_COLUMNS order (JSON columns as JSON text). */
function stagingCells(record: IngestRecord, position: number): Cell[] {
  // Event time as epoch ms, converted by the database: cheaper than formatting a timestamp per row here.
  switch (record.type) {
    case "user":
      return [
        position,
        record.event_id,
        record.type,
        record.user_id,
        null,
        record.ts,
        null,
        null,
        null,
        record.source,
        JSON.stringify({ attributes: record.attributes }),
      ];
    case "item": {
      const { event_id, ts, source, type, item_id, ...fields } = record;
      return [position, event_id, type, null, item_id, ts, null, null, null, source, JSON.stringify(fields)];
    }
    default:
      return [
        position,
        record.event_id,
        record.type,
        record.user_id,
        record.item_id ?? null,
        record.ts,
        record.value ?? null,
        record.type === "review" ? record.text : null,
        record.context === undefined ? null : JSON.stringify(record.context),
        record.source,
        null,
      ];
  }
}

const COPY_SPECIAL = /[\\\t\n\r]/;
const COPY_ESCAPES: Record<string, string> = { "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r" };

/** PostgreSQL COPY text format needs only these four escaped (CSV would need quoting everywhere). */
function copyText(value: string): string {
  return COPY_SPECIAL.test(value) ? value.replace(/[\\\t\n\r]/g, (ch) => COPY_ESCAPES[ch]!) : value;
}

/** Ids cannot hold control characters (the contract refuses them), so only a backslash needs escaping. */
function copyId(value: string): string {
  return value.includes("\\") ? value.replaceAll("\\", "\\\\") : value;
}

function copyCell(cell: Cell): string {
  if (cell === null) {
    return "\\N";
  }
  return typeof cell === "number" ? String(cell) : copyText(cell);
}

/**
 * COPY text data for the records at `positions` (indexes into `records`). Interactions, nearly every row
 * of a bulk load, are formatted directly; user and item records go through stagingCells.
 */
export function toCopyText(records: readonly IngestRecord[], positions: readonly number[]): string {
  const lines: string[] = new Array(positions.length);
  for (let n = 0; n < positions.length; n++) {
    const position = positions[n]!;
    const r = records[position]!;
    if (r.type === "user" || r.type === "item") {
      lines[n] = stagingCells(r, position).map(copyCell).join("\t");
      continue;
    }
    const itemId = r.item_id === undefined ? "\\N" : copyId(r.item_id);
    const value = r.value === undefined ? "\\N" : String(r.value);
    const text = r.type === "review" ? copyText(r.text) : "\\N";
    const context = r.context === undefined ? "\\N" : copyText(JSON.stringify(r.context));
    // type and source are plain lower-case words (the contract's patterns): nothing to escape.
    lines[n] =
      `${position}\t${copyId(r.event_id)}\t${r.type}\t${copyId(r.user_id)}\t${itemId}\t${r.ts}\t${value}\t` +
      `${text}\t${context}\t${r.source}\t\\N`;
  }
  lines.push("");
  return lines.join("\n");
}

/** PostgreSQL allows 65,535 parameters per statement; 11 columns × 4,000 rows stays well under. */
const ROWS_PER_INSERT = 4000;

/** Multi-row INSERT statements (text and parameters) that fill the staging table with the same rows. */
export function toInsertStatements(
  records: readonly IngestRecord[],
  positions: readonly number[],
): { text: string; params: Cell[] }[] {
  const statements: { text: string; params: Cell[] }[] = [];
  const width = STAGING_COLUMNS.length;
  for (let start = 0; start < positions.length; start += ROWS_PER_INSERT) {
    const chunk = positions.slice(start, start + ROWS_PER_INSERT);
    const params: Cell[] = [];
    const tuples: string[] = [];
    for (const position of chunk) {
      const base = params.length;
      params.push(...stagingCells(records[position]!, position));
      const slots: string[] = [];
      for (let c = 1; c <= width; c++) {
        slots.push(`$${base + c}`);
      }
      tuples.push(`(${slots.join(",")})`);
    }
    statements.push({
      text: `INSERT INTO ${STAGING_TABLE} (${STAGING_COLUMNS.join(",")}) VALUES ${tuples.join(",")}`,
      params,
    });
  }
  return statements;
}

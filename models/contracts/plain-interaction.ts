/**
 * The contract's verdict on a plain interaction (the records a file reader builds from a mapped CSV or
 * Parquet row: ids, epoch-ms time, source, perhaps a value; no context, no text), reached without zod:
 * the same rules as recordSchemas' for the same value ranges, in one pass, for the import path that checks
 * millions of such records. It only ever accepts: anything else, and any record the rules might refuse,
 * gets null, and the caller asks the schema, which gives the verdict and its message. What it accepts is
 * what the schema would return, key order included.
 */
import {
  EVENT_LIMITS,
  type IngestRecord,
  type InteractionType,
  isValidId,
  isValidSource,
  type ValueRanges,
} from "./event.ts";

const L = EVENT_LIMITS;

const PLAIN_TYPES: ReadonlySet<string> = new Set<InteractionType>([
  "view",
  "click",
  "add_to_cart",
  "purchase",
  "rating",
]);
const PLAIN_KEYS: ReadonlySet<string> = new Set([
  "event_id",
  "type",
  "user_id",
  "item_id",
  "ts",
  "source",
  "value",
]);

const isId = (value: unknown): value is string => typeof value === "string" && isValidId(value);

/** `record` as the schema would parse it, or null when only the schema can tell (or it refuses). */
export function plainInteraction(record: unknown, ranges: Readonly<ValueRanges>): IngestRecord | null {
  if (typeof record !== "object" || record === null || Object.getPrototypeOf(record) !== Object.prototype) {
    return null;
  }
  const r = record as Record<string, unknown>;
  for (const key in r) {
    // An unknown key (the schema drops it) or one set to undefined (the schema keeps it) is left to zod.
    if (!PLAIN_KEYS.has(key) || r[key] === undefined) {
      return null;
    }
  }
  const { event_id, type, user_id, item_id, ts, source, value } = r;
  if (typeof type !== "string" || !PLAIN_TYPES.has(type) || !isId(event_id) || !isId(user_id)) {
    return null;
  }
  if (item_id === undefined ? type !== "view" : !isId(item_id)) {
    return null;
  }
  if (typeof ts !== "number" || !(ts >= L.tsMinMs && ts <= L.tsMaxMs)) {
    return null;
  }
  if (typeof source !== "string" || !isValidSource(source)) {
    return null;
  }
  const min = type === "rating" ? ranges.ratingMin : -L.numberAbsMax;
  const max = type === "rating" ? ranges.ratingMax : L.numberAbsMax;
  if (
    value === undefined ? type === "rating" : typeof value !== "number" || !(value >= min && value <= max)
  ) {
    return null;
  }
  // The schema's key order: the common fields, then type and item_id.
  const parsed: Record<string, unknown> = { event_id, ts: Math.round(ts), source, user_id };
  if (value !== undefined) {
    parsed.value = value;
  }
  parsed.type = type;
  if (item_id !== undefined) {
    parsed.item_id = item_id;
  }
  return parsed as IngestRecord;
}

/**
 * Mapped interaction rows as ingestion records: the event type the operator names (a rating is a
 * `rating`, a count or a bare row a `view` unless told otherwise), the row's value (its rating, or its
 * count as the event's value: a play count is a confidence, not a score), and the source's event id or
 * one derived from the row, so a rerun stores nothing twice.
 */
import type { IngestRecordInput, InteractionType } from "../../../models/contracts/index.ts";
import type { ColumnMapping, MappedInteraction, MappedRow, ValueKind } from "./interaction-columns.ts";
import { rowEventId } from "./row-event-id.ts";

/** Event types a mapped row can become: a review needs its text, which a mapping has no column for. */
export const MAPPED_EVENT_TYPES = ["view", "click", "add_to_cart", "purchase", "rating"] as const;
export type MappedEventType = (typeof MAPPED_EVENT_TYPES)[number];

export interface MappedRecordOptions {
  mapping: ColumnMapping;
  /** Default: `rating` for value kind rating, else `view`. */
  eventType?: MappedEventType;
  /** The records' `source`. Default `import`. */
  source?: string;
}

/** The event type a value kind becomes by default. */
export function defaultEventType(valueKind: ValueKind): MappedEventType {
  return valueKind === "rating" ? "rating" : "view";
}

/**
 * Checks that the event type fits the value kind: a rating is a `rating` event and only a rating is. Returns
 * the reason they don't fit, or null.
 */
export function eventTypeProblem(valueKind: ValueKind, eventType: InteractionType): string | null {
  if (valueKind === "rating" && eventType !== "rating") {
    return `value kind 'rating' makes 'rating' events, not '${eventType}'`;
  }
  if (valueKind !== "rating" && eventType === "rating") {
    return `'rating' events need value kind 'rating', not '${valueKind}'`;
  }
  return null;
}

/** One usable row as a record (its time must be known: the caller's mapping has a time column). */
export function mappedRecord(
  row: MappedInteraction,
  type: MappedEventType,
  source: string,
): IngestRecordInput {
  const hasValue = !Number.isNaN(row.value);
  const eventId =
    row.eventId ?? rowEventId("row", [type, row.userId, row.itemId, row.tsMs, hasValue ? row.value : ""]);
  const record = {
    event_id: eventId,
    type,
    user_id: row.userId,
    item_id: row.itemId,
    ts: row.tsMs,
    source,
    ...(hasValue ? { value: row.value } : {}),
  };
  return record as IngestRecordInput;
}

/** A record to validate and store, or a row that cannot be one: why, and where. */
export type RecordItem =
  | { ok: true; value: unknown; line?: number }
  | { ok: false; error: string; line?: number };

/** A record, a row that cannot be one, or a row deliberately left out (an event with no Edgewise meaning): why. */
export type SourceItem = RecordItem | { skipped: string; line?: number };

/** Mapped rows as records, each bad row passed on with its reason. */
export async function* mappedRecords(
  rows: AsyncIterable<MappedRow>,
  options: MappedRecordOptions,
): AsyncGenerator<RecordItem> {
  const type = options.eventType ?? defaultEventType(options.mapping.valueKind);
  const source = options.source ?? "import";
  for await (const row of rows) {
    yield row.ok
      ? { ok: true, value: mappedRecord(row.row, type, source), line: row.row.line }
      : { ok: false, error: row.reason, line: row.line };
  }
}

/**
 * The column mapping of a table of interactions (a CSV or Parquet export): which columns hold the user,
 * the item, the time and the value, and what the value means. `interactionRowMapper` turns one row of
 * cells into a mapped interaction, or into the reason the row can't be used: a bad row is reported with
 * its line and never stops the rows after it.
 */
import { type EventTimeOptions, parseEventTime } from "./event-time.ts";
import { FileReadError } from "./file-read-error.ts";

/**
 * What the value column says. `rating`: an explicit score (stars). `count`: how many times it happened
 * (plays, purchases), a confidence, never a score; a count of 0 is no interaction. `none`: every row is
 * one interaction and any value column is ignored.
 */
export const VALUE_KINDS = ["rating", "count", "none"] as const;
export type ValueKind = (typeof VALUE_KINDS)[number];

export interface ColumnMapping {
  userCol: string;
  itemCol: string;
  /** Without it rows have no time (tsMs NaN), which `eval recs` accepts and ingestion refuses. */
  timeCol?: string;
  valueCol?: string;
  /** A column holding the source's own event id (the idempotency key), when it has one. */
  idCol?: string;
  valueKind: ValueKind;
  time: EventTimeOptions;
}

/** MovieLens `ratings.csv`: the mapping used when a CSV names these columns and no mapping is given. */
export const MOVIELENS_MAPPING: ColumnMapping = {
  userCol: "userId",
  itemCol: "movieId",
  timeCol: "timestamp",
  valueCol: "rating",
  valueKind: "rating",
  time: { format: "s" },
};

/** The column names a mapping reads, in a fixed order. */
export function mappedColumns(mapping: ColumnMapping): string[] {
  const { userCol, itemCol, timeCol, valueCol, idCol, valueKind } = mapping;
  return [userCol, itemCol, timeCol, valueKind === "none" ? undefined : valueCol, idCol].filter(
    (name): name is string => name !== undefined,
  );
}

/** One usable row. */
export interface MappedInteraction {
  /** Where it was: the CSV line (1-based, the header is line 1) or the Parquet row (1-based). */
  line: number;
  userId: string;
  itemId: string;
  /** Epoch ms; NaN when the mapping has no time column. */
  tsMs: number;
  /** The rating or the count; NaN for value kind `none`. */
  value: number;
  /** The source's event id, from `idCol`. */
  eventId?: string;
}

export type MappedRow = { ok: true; row: MappedInteraction } | { ok: false; line: number; reason: string };

function idOf(cell: unknown): string {
  if (typeof cell === "string") {
    return cell.trim();
  }
  return typeof cell === "number" || typeof cell === "bigint" ? String(cell) : "";
}

function numberOf(cell: unknown): number {
  if (typeof cell === "number") {
    return cell;
  }
  if (typeof cell === "bigint") {
    return Number(cell);
  }
  return typeof cell === "string" && cell.trim() !== "" ? Number(cell) : Number.NaN;
}

function columnIndexes(mapping: ColumnMapping, header: readonly string[]) {
  const missing = mappedColumns(mapping).filter((name) => !header.includes(name));
  if (missing.length > 0) {
    throw new FileReadError(
      `no column ${missing.map((name) => `'${name}'`).join(", ")} (the file has: ${header.join(", ")})`,
    );
  }
  const at = (name: string | undefined) => (name === undefined ? -1 : header.indexOf(name));
  return {
    user: at(mapping.userCol),
    item: at(mapping.itemCol),
    time: at(mapping.timeCol),
    value: mapping.valueKind === "none" ? -1 : at(mapping.valueCol),
    id: at(mapping.idCol),
  };
}

/**
 * A function from one row's cells (in `header` order) to a mapped row. Throws FileReadError at once when
 * the header lacks a mapped column, or when a rating or count has no value column to read.
 */
export function interactionRowMapper(
  mapping: ColumnMapping,
  header: readonly string[],
): (cells: ArrayLike<unknown>, line: number) => MappedRow {
  if (mapping.valueKind !== "none" && mapping.valueCol === undefined) {
    throw new FileReadError(`value kind '${mapping.valueKind}' needs a value column (--value-col)`);
  }
  const at = columnIndexes(mapping, header);
  const { valueKind, time } = mapping;
  const fail = (line: number, reason: string): MappedRow => ({ ok: false, line, reason });
  return (cells, line) => {
    const userId = idOf(cells[at.user]);
    if (userId === "") {
      return fail(line, `no user id in '${mapping.userCol}'`);
    }
    const itemId = idOf(cells[at.item]);
    if (itemId === "") {
      return fail(line, `no item id in '${mapping.itemCol}'`);
    }
    let tsMs = Number.NaN;
    if (at.time >= 0) {
      const ts = parseEventTime(cells[at.time], time);
      if (typeof ts === "string") {
        return fail(line, `${mapping.timeCol}: ${ts}`);
      }
      tsMs = ts;
    }
    let value = Number.NaN;
    if (at.value >= 0) {
      value = numberOf(cells[at.value]);
      if (!Number.isFinite(value)) {
        return fail(line, `${mapping.valueCol}: the ${valueKind} is not a number`);
      }
      if (valueKind === "count" && !(value > 0)) {
        return fail(line, `${mapping.valueCol}: a count of ${value} is no interaction`);
      }
    }
    const row: MappedInteraction = { line, userId, itemId, tsMs, value };
    if (at.id >= 0) {
      const eventId = idOf(cells[at.id]);
      if (eventId === "") {
        return fail(line, `no event id in '${mapping.idCol}'`);
      }
      row.eventId = eventId;
    }
    return { ok: true, row };
  };
}

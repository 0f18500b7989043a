/**
 * Event times as exports write them: ISO-8601 text (with a zone, or a date alone), or epoch numbers in
 * seconds or milliseconds. Parsed to epoch milliseconds within the event contract's bounds, or to the
 * reason a row cannot be used.
 */
import { EVENT_LIMITS } from "../../../models/contracts/index.ts";

/**
 * `auto` tells the kinds apart by themselves: text that is a number is epoch time, any other text must be
 * ISO-8601. An epoch number below 1e11 is seconds and one at or above it milliseconds. The two ranges
 * never meet inside the contract's bounds (1973-03-03 is 1e11 ms; 1e11 s is the year 5138), so the rule
 * is exact for every time the contract accepts.
 */
export const TIME_FORMATS = ["auto", "iso", "s", "ms"] as const;
export type TimeFormat = (typeof TIME_FORMATS)[number];

/** Epoch numbers below this are seconds, at or above it milliseconds. */
export const EPOCH_MS_FROM = EVENT_LIMITS.tsMinMs;

export interface EventTimeOptions {
  format: TimeFormat;
  /** Read an ISO date-time without a zone as UTC; by default such a row is refused (its time is unknown). */
  assumeUtc?: boolean;
}

const EPOCH = /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/;
/** date, then an optional time (T or space) with optional fraction, then an optional zone. */
const ISO =
  /^(\d{4}-\d{2}-\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?))?\s*(Z|z|UTC|GMT|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epoch ms, or a string saying why the value is not a usable event time. */
export type EventTimeResult = number | string;

function withinContract(ms: number): EventTimeResult {
  if (!Number.isFinite(ms)) {
    return "the time is not a valid date";
  }
  if (ms < EVENT_LIMITS.tsMinMs || ms > EVENT_LIMITS.tsMaxMs) {
    return `the time ${new Date(ms).toISOString()} lies outside 1973-03-03 … 2100-01-01`;
  }
  return Math.round(ms);
}

function fromEpoch(n: number, format: TimeFormat): EventTimeResult {
  if (!Number.isFinite(n)) {
    return "the time is not a finite number";
  }
  const seconds = format === "s" || (format !== "ms" && Math.abs(n) < EPOCH_MS_FROM);
  return withinContract(seconds ? n * 1000 : n);
}

function fromIso(text: string, assumeUtc: boolean): EventTimeResult {
  const match = ISO.exec(text);
  if (match === null) {
    return `'${clip(text)}' is not an ISO-8601 date-time or an epoch number`;
  }
  const [, date, time, zone] = match;
  if (time === undefined) {
    // A date alone is midnight UTC, as Date.parse reads it.
    return withinContract(Date.parse(`${date}T00:00:00Z`));
  }
  let offset: string;
  if (zone === undefined) {
    if (!assumeUtc) {
      return `'${clip(text)}' has no time zone (pass --assume-utc to read such times as UTC)`;
    }
    offset = "Z";
  } else if (/^(z|utc|gmt)$/i.test(zone)) {
    offset = "Z";
  } else {
    const digits = zone.replace(":", "");
    offset = `${digits.slice(0, 3)}:${digits.length > 3 ? digits.slice(3) : "00"}`;
  }
  const seconds = time.length === 5 ? `${time}:00` : time.replace(",", ".");
  return withinContract(Date.parse(`${date}T${seconds}${offset}`));
}

function clip(text: string): string {
  return text.length > 40 ? `${text.slice(0, 40)}…` : text;
}

/**
 * One cell as an event time: text, a number (epoch), a bigint (epoch, from Parquet INT64) or a Date
 * (Parquet TIMESTAMP). Returns epoch ms, or the reason it can't be used.
 */
export function parseEventTime(cell: unknown, options: EventTimeOptions): EventTimeResult {
  const { format } = options;
  if (cell instanceof Date) {
    return withinContract(cell.getTime());
  }
  if (typeof cell === "number" || typeof cell === "bigint") {
    return format === "iso" ? "the time is a number, not ISO-8601 text" : fromEpoch(Number(cell), format);
  }
  if (typeof cell !== "string") {
    return cell === null || cell === undefined ? "the time is empty" : "the time is not text or a number";
  }
  const text = cell.trim();
  if (text === "") {
    return "the time is empty";
  }
  if (format !== "iso" && EPOCH.test(text)) {
    return fromEpoch(Number(text), format);
  }
  if (format === "s" || format === "ms") {
    return `'${clip(text)}' is not an epoch number in ${format === "s" ? "seconds" : "milliseconds"}`;
  }
  return fromIso(text, options.assumeUtc === true);
}

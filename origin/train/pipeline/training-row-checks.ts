/**
 * What a training run does with a stored row it cannot use: skip it (or, for one bad field of an item or
 * user, drop that field) and count why, so one row stored before today's contract, or written by another
 * tool, never fails a run. The counts land in the run's report (TrainedRelease.skipped).
 */
import {
  DEFAULT_VALUE_RANGES,
  EVENT_LIMITS,
  INTERACTION_TYPE_CODE,
  INTERACTION_TYPES,
  type ValueRanges,
} from "../../../models/contracts/index.ts";
import type { ItemRow, UserRow } from "../../ingest/index.ts";
import type { SkippedRows } from "../../release/index.ts";

export const emptySkipped = (): SkippedRows => ({ total: 0, reasons: {} });

export function countSkip(skipped: SkippedRows, reason: string): void {
  skipped.total++;
  skipped.reasons[reason] = (skipped.reasons[reason] ?? 0) + 1;
}

const RATING = INTERACTION_TYPE_CODE.rating;

/**
 * Why an event row cannot train, or null. `value` is NaN where the event has none; it was read as float32,
 * so a stored value beyond float32's range arrives as ±Infinity.
 */
export function eventRowProblem(
  typeCode: number,
  tsMs: number,
  value: number,
  ranges: ValueRanges = DEFAULT_VALUE_RANGES,
): string | null {
  if (!(typeCode < INTERACTION_TYPES.length)) {
    return "event of an unknown type";
  }
  if (!(tsMs >= EVENT_LIMITS.tsMinMs && tsMs <= EVENT_LIMITS.tsMaxMs)) {
    return "event time outside 1973-03-03 … 2100-01-01";
  }
  if (typeCode === RATING) {
    return value >= ranges.ratingMin && value <= ranges.ratingMax
      ? null
      : `rating value missing or outside [${ranges.ratingMin}, ${ranges.ratingMax}]`;
  }
  return Number.isNaN(value) || Math.abs(value) <= EVENT_LIMITS.numberAbsMax
    ? null
    : "event value not a finite number within the limits";
}

/** A number attribute a model can standardise; strings and booleans are always fine. */
function usableAttribute(value: unknown): boolean {
  if (typeof value === "number") {
    return Math.abs(value) <= EVENT_LIMITS.numberAbsMax;
  }
  if (Array.isArray(value)) {
    return value.every(usableAttribute);
  }
  return value === null || typeof value === "string" || typeof value === "boolean";
}

function cleanAttributes<T extends Record<string, unknown>>(
  attributes: T,
  what: string,
  skipped: SkippedRows,
): T {
  if (attributes === null || typeof attributes !== "object" || Array.isArray(attributes)) {
    countSkip(skipped, `${what} attributes not an object (attributes ignored)`);
    return {} as T;
  }
  if (Object.values(attributes).every(usableAttribute)) {
    return attributes;
  }
  const kept: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(attributes)) {
    if (usableAttribute(value)) {
      kept[key] = value;
    } else {
      countSkip(skipped, `${what} attribute not a finite number or primitive (attribute ignored)`);
    }
  }
  return kept as T;
}

/** The item with an unusable price or attribute dropped (the item itself still trains and is served). */
export function cleanItemRow(
  item: ItemRow,
  skipped: SkippedRows,
  ranges: ValueRanges = DEFAULT_VALUE_RANGES,
): ItemRow {
  const priceOk = item.price === null || (item.price >= 0 && item.price <= ranges.priceMax);
  if (!priceOk) {
    countSkip(skipped, `item price not a finite number in [0, ${ranges.priceMax}] (price ignored)`);
  }
  const attributes = cleanAttributes(item.attributes, "item", skipped);
  return priceOk && attributes === item.attributes
    ? item
    : { ...item, price: priceOk ? item.price : null, attributes };
}

export function cleanUserRow(user: UserRow, skipped: SkippedRows): UserRow {
  const attributes = cleanAttributes(user.attributes, "user", skipped);
  return attributes === user.attributes ? user : { ...user, attributes };
}

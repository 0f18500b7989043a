/**
 * Reads the training window's interactions from the event store into typed-array columns with dense
 * user and item indices (0 … n-1 in id order, compareIds: the order `edgewise eval recs` gives a file's). The store streams batches of columns, so
 * memory is a few typed arrays the size of the window, never one object per event. Review texts are the
 * only strings read, in a second pass limited to review events. Rows a model cannot use (a price or
 * rating out of range, a time out of bounds: rows stored before the contract refused them) are skipped
 * and counted in `skipped`, never allowed to fail the run.
 */

import { compareIds } from "../../../models/compare-ids.ts";
import type { ValueRanges } from "../../../models/contracts/index.ts";
import type { EventStore, ItemRow, UserRow } from "../../ingest/index.ts";
import type { SkippedRows } from "../../release/index.ts";
import {
  cleanItemRow,
  cleanUserRow,
  countSkip,
  emptySkipped,
  eventRowProblem,
} from "./training-row-checks.ts";

export interface InteractionLog {
  users: UserRow[];
  items: ItemRow[];
  length: number;
  /** Dense user index of each event. */
  user: Int32Array;
  /** Dense item index, -1 for events without an item (page views). */
  item: Int32Array;
  typeCode: Uint8Array;
  tsMs: Float64Array;
  /** NaN where the event has no value. */
  value: Float32Array;
  /** Event times of the oldest and newest event read; null when none was. */
  window: { startMs: number; endMs: number } | null;
}

/** A log read from the store, with what it left out. */
export interface StoredInteractionLog extends InteractionLog {
  /** Event rows left out, and item or user fields dropped, by reason. */
  skipped: SkippedRows;
}

export interface ReviewLog {
  user: Int32Array;
  item: Int32Array;
  value: Float32Array;
  texts: string[];
}

export interface ReadWindow {
  sinceMs?: number;
  untilMs: number;
  /** Called after each batch with the events read so far. */
  onProgress?: (eventsRead: number) => void;
  /** The rating scale and price ceiling rows are held to; default DEFAULT_VALUE_RANGES. */
  ranges?: ValueRanges;
}

/** Store idx → dense position; -1 for an idx the listing did not hold (created after it was taken). */
function denseIndex(rows: ReadonlyArray<{ idx: number }>): Int32Array {
  let max = 0;
  for (const row of rows) {
    max = Math.max(max, row.idx);
  }
  const map = new Int32Array(max + 1).fill(-1);
  rows.forEach((row, position) => {
    map[row.idx] = position;
  });
  return map;
}

/** About 3 MB of typed arrays per page, plus the driver's row arrays while it is converted. */
const READ_BATCH_EVENTS = 50_000;

const lookup = (map: Int32Array, idx: number) => (idx >= 0 && idx < map.length ? map[idx]! : -1);

function grow<T extends Int32Array | Uint8Array | Float64Array | Float32Array>(array: T, size: number): T {
  if (array.length >= size) {
    return array;
  }
  const next = new (array.constructor as new (n: number) => T)(Math.max(size, array.length * 2));
  next.set(array);
  return next;
}

export async function readInteractions(store: EventStore, window: ReadWindow): Promise<StoredInteractionLog> {
  // Listed first: an event whose user or item appears after the listing is skipped, not mis-indexed.
  const skipped = emptySkipped();
  const users = (await store.listUsers())
    .map((user) => cleanUserRow(user, skipped))
    .sort((a, b) => compareIds(a.userId, b.userId));
  const items = (await store.listItems())
    .map((item) => cleanItemRow(item, skipped, window.ranges))
    .sort((a, b) => compareIds(a.itemId, b.itemId));
  const userOf = denseIndex(users);
  const itemOf = denseIndex(items);
  let user = new Int32Array(1024);
  let item = new Int32Array(1024);
  let typeCode = new Uint8Array(1024);
  let tsMs = new Float64Array(1024);
  let value = new Float32Array(1024);
  let n = 0;
  let startMs = Number.POSITIVE_INFINITY;
  let endMs = Number.NEGATIVE_INFINITY;
  for await (const batch of store.streamInteractions({
    ...(window.sinceMs === undefined ? {} : { sinceMs: window.sinceMs }),
    untilMs: window.untilMs,
    // Fewer, larger pages: each page's query has a fixed cost that can grow with the log (a PGlite
    // database without fresh statistics plans it as a join of every remaining event plus a sort).
    batchSize: READ_BATCH_EVENTS,
  })) {
    const size = n + batch.length;
    user = grow(user, size);
    item = grow(item, size);
    typeCode = grow(typeCode, size);
    tsMs = grow(tsMs, size);
    value = grow(value, size);
    for (let e = 0; e < batch.length; e++) {
      const u = lookup(userOf, batch.userIdx[e]!);
      const rawItem = batch.itemIdx[e]!;
      const i = rawItem < 0 ? -1 : lookup(itemOf, rawItem);
      if (u < 0 || (rawItem >= 0 && i < 0)) {
        continue;
      }
      const t = batch.tsMs[e]!;
      const problem = eventRowProblem(batch.typeCode[e]!, t, batch.value[e]!, window.ranges);
      if (problem !== null) {
        countSkip(skipped, problem);
        continue;
      }
      user[n] = u;
      item[n] = i;
      typeCode[n] = batch.typeCode[e]!;
      tsMs[n] = t;
      value[n] = batch.value[e]!;
      startMs = Math.min(startMs, t);
      endMs = Math.max(endMs, t);
      n++;
    }
    window.onProgress?.(n);
  }
  return {
    users,
    items,
    length: n,
    user: user.slice(0, n),
    item: item.slice(0, n),
    typeCode: typeCode.slice(0, n),
    tsMs: tsMs.slice(0, n),
    value: value.slice(0, n),
    window: n === 0 ? null : { startMs, endMs },
    skipped,
  };
}

/** The window's reviews with their texts, indexed like `log`. */
export async function readReviews(
  store: EventStore,
  log: Pick<InteractionLog, "users" | "items">,
  window: ReadWindow,
): Promise<ReviewLog> {
  const userOf = denseIndex(log.users);
  const itemOf = denseIndex(log.items);
  const user: number[] = [];
  const item: number[] = [];
  const value: number[] = [];
  const texts: string[] = [];
  for await (const batch of store.streamInteractions({
    ...(window.sinceMs === undefined ? {} : { sinceMs: window.sinceMs }),
    untilMs: window.untilMs,
    types: ["review"],
    includeText: true,
  })) {
    for (let e = 0; e < batch.length; e++) {
      const u = lookup(userOf, batch.userIdx[e]!);
      const i = lookup(itemOf, batch.itemIdx[e]!);
      const text = batch.text?.[e];
      if (u < 0 || i < 0 || !text) {
        continue;
      }
      user.push(u);
      item.push(i);
      value.push(batch.value[e]!);
      texts.push(text);
    }
  }
  return {
    user: Int32Array.from(user),
    item: Int32Array.from(item),
    value: Float32Array.from(value),
    texts,
  };
}

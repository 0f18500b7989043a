import {
  describeIssues,
  INTERACTION_TYPE_CODE,
  IngestRecord,
  type InteractionType,
  isInteraction,
} from "../../../models/contracts/index.ts";
import type { InteractionColumns } from "../recs/csr.ts";
import { columnIndex, parseCsvWithHeader } from "./csv.ts";
import { idOrder } from "./id-order.ts";

/**
 * Interactions with their external ids mapped to dense indices (the form the trainers take), keeping the
 * id tables to map results back. One entry per event.
 */
export interface InteractionLog extends InteractionColumns {
  userIds: string[];
  itemIds: string[];
  /** event time in seconds since the epoch (NaN when the source has none) */
  tsSeconds: Float64Array;
  value: Float32Array;
  /** INTERACTION_TYPE_CODE of each event */
  typeCode: Uint8Array;
}

export interface RawInteraction {
  userId: string;
  itemId: string;
  tsSeconds: number;
  value: number;
  /** Where the row was in its file, for reports that name dropped rows. */
  line?: number;
  /** The event type, which weighs the interaction as the pipeline does (eventWeight); default `rating`. */
  type?: InteractionType;
}

/**
 * Maps raw interactions to dense indices. With `vocabulary` (another log, e.g. the training file), ids are
 * looked up in its tables and events whose user or item it does not know are dropped and counted: a model
 * cannot rank an item it never saw.
 */
export function indexInteractions(
  raw: readonly RawInteraction[],
  vocabulary?: Pick<InteractionLog, "userIds" | "itemIds">,
): { log: InteractionLog; dropped: number } {
  const userIds = vocabulary ? vocabulary.userIds : [];
  const itemIds = vocabulary ? vocabulary.itemIds : [];
  const userIndex = new Map(userIds.map((id, i) => [id, i]));
  const itemIndex = new Map(itemIds.map((id, i) => [id, i]));
  const user = new Int32Array(raw.length);
  const item = new Int32Array(raw.length);
  const tsSeconds = new Float64Array(raw.length);
  const value = new Float32Array(raw.length);
  const typeCode = new Uint8Array(raw.length);
  let n = 0;
  let dropped = 0;
  for (const r of raw) {
    let u = userIndex.get(r.userId);
    let i = itemIndex.get(r.itemId);
    if (vocabulary && (u === undefined || i === undefined)) {
      dropped++;
      continue;
    }
    if (u === undefined) {
      u = userIds.length;
      userIds.push(r.userId);
      userIndex.set(r.userId, u);
    }
    if (i === undefined) {
      i = itemIds.length;
      itemIds.push(r.itemId);
      itemIndex.set(r.itemId, i);
    }
    user[n] = u;
    item[n] = i;
    tsSeconds[n] = r.tsSeconds;
    value[n] = r.value;
    typeCode[n] = INTERACTION_TYPE_CODE[r.type ?? "rating"];
    n++;
  }
  // Indices in id order (compareIds), as the pipeline numbers the store's users and items; a vocabulary's
  // order is kept, so test events index like the training log they are looked up in.
  const users = vocabulary ? { ids: userIds, position: null } : idOrder(userIds);
  const items = vocabulary ? { ids: itemIds, position: null } : idOrder(itemIds);
  return {
    log: {
      users: userIds.length,
      items: itemIds.length,
      userIds: users.ids,
      itemIds: items.ids,
      user: renumber(user.subarray(0, n), users.position),
      item: renumber(item.subarray(0, n), items.position),
      tsSeconds: tsSeconds.slice(0, n),
      value: value.slice(0, n),
      typeCode: typeCode.slice(0, n),
    },
    dropped,
  };
}

/** A copy of `indices` with each index moved to its `position` (a copy as it is, without one). */
function renumber(indices: Int32Array, position: Int32Array | null): Int32Array {
  return position ? Int32Array.from(indices, (index) => position[index]!) : indices.slice();
}

/** MovieLens `ratings.csv` (userId,movieId,rating,timestamp): every rating is one interaction. */
export function parseMovieLensRatings(text: string): RawInteraction[] {
  const { header, rows } = parseCsvWithHeader(text);
  const u = columnIndex(header, "userId");
  const m = columnIndex(header, "movieId");
  const r = columnIndex(header, "rating");
  const t = header.indexOf("timestamp");
  return rows.map((row) => ({
    userId: row[u]!,
    itemId: row[m]!,
    value: Number(row[r]),
    tsSeconds: t >= 0 ? Number(row[t]) : Number.NaN,
  }));
}

/**
 * NDJSON ingestion records (one JSON object per line, validated by the shared IngestRecord contract): every
 * interaction with an item counts (view, click, add_to_cart, purchase, rating, review); user and item records
 * and item-less views are skipped. A line that fails the contract is an error naming the line.
 */
export function parseNdjsonInteractions(text: string): RawInteraction[] {
  const out: RawInteraction[] = [];
  const lines = text.split("\n");
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === "") {
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(trimmed);
    } catch {
      throw new Error(`NDJSON line ${index + 1} is not valid JSON`);
    }
    const parsed = IngestRecord.safeParse(json);
    if (!parsed.success) {
      throw new Error(`NDJSON line ${index + 1}: ${describeIssues(parsed.error)}`);
    }
    const record = parsed.data;
    if (!isInteraction(record) || record.item_id === undefined) {
      return;
    }
    out.push({
      userId: record.user_id,
      itemId: record.item_id,
      tsSeconds: record.ts / 1000,
      value: record.value ?? 1,
      type: record.type,
    });
  });
  return out;
}

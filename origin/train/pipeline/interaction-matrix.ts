/**
 * The user × item matrix the recommender trains on, and each user's recent items, from the interaction
 * columns. Event types weigh differently because they say different things about taste: a purchase is a far
 * stronger signal than a view. Whether iALS reads the summed weight, 1, or the log of the event count as
 * confidence is tuned (origin/train/recs/confidence.ts).
 */
import { INTERACTION_TYPE_CODE, INTERACTION_TYPES } from "../../../models/contracts/index.ts";
import { type CsrMatrix, type PairData, pairData } from "../recs/index.ts";
import type { InteractionLog } from "./read-interactions.ts";

/** Weight per INTERACTION_TYPES code; ratings are weighed by their value instead (see eventWeight). */
const TYPE_WEIGHTS = Float32Array.from(
  INTERACTION_TYPES.map(
    (type) => ({ view: 1, click: 2, add_to_cart: 4, purchase: 8, rating: 0, review: 2 })[type],
  ),
);
const RATING = INTERACTION_TYPE_CODE.rating;

/**
 * A rating on the usual 1–5 scale: a 5 counts like a cart, a 1 barely at all (implicit MF cannot learn
 * dislike, but it can learn not to trust the pair much). Values outside the scale are clamped.
 */
function ratingWeight(value: number): number {
  return Number.isFinite(value) ? Math.min(4, Math.max(0.25, value - 1)) : 1;
}

export function eventWeight(typeCode: number, value: number): number {
  return typeCode === RATING ? ratingWeight(value) : TYPE_WEIGHTS[typeCode]!;
}

/** Indices of the log's events that have an item (page views may not), in log order. */
export function itemEventIndices(log: Pick<InteractionLog, "length" | "item">): Int32Array {
  let withItem = 0;
  for (let e = 0; e < log.length; e++) {
    withItem += log.item[e]! >= 0 ? 1 : 0;
  }
  const events = new Int32Array(withItem);
  for (let e = 0, t = 0; e < log.length; e++) {
    if (log.item[e]! >= 0) {
      events[t++] = e;
    }
  }
  return events;
}

/** Events with an item, their weights summed and counted per (user, item): what the recommender trains on. */
export function interactionPairs(log: InteractionLog): PairData {
  const events = itemEventIndices(log);
  const user = Int32Array.from(events, (e) => log.user[e]!);
  const item = Int32Array.from(events, (e) => log.item[e]!);
  const value = Float32Array.from(events, (e) => eventWeight(log.typeCode[e]!, log.value[e]!));
  return pairData({ users: log.users.length, items: log.items.length, user, item, weight: value });
}

/** Events with an item, their weights summed per (user, item). */
export function interactionMatrix(log: InteractionLog): CsrMatrix {
  return interactionPairs(log).weights;
}

/**
 * Each user's last `limit` distinct items, most recent first (what the edge leaves out of their answers).
 * One sort of the event indices by (user, time descending), then one pass.
 */
export function recentItemsPerUser(log: InteractionLog, limit: number): Int32Array[] {
  const sorted = itemEventIndices(log).sort(
    (a, b) => log.user[a]! - log.user[b]! || log.tsMs[b]! - log.tsMs[a]! || b - a,
  );
  const n = sorted.length;
  const recent: Int32Array[] = Array.from({ length: log.users.length }, () => new Int32Array(0));
  let start = 0;
  while (start < n) {
    const u = log.user[sorted[start]!]!;
    let end = start;
    const seen = new Set<number>();
    const items: number[] = [];
    while (end < n && log.user[sorted[end]!]! === u) {
      const i = log.item[sorted[end]!]!;
      if (items.length < limit && !seen.has(i)) {
        seen.add(i);
        items.push(i);
      }
      end++;
    }
    recent[u] = Int32Array.from(items);
    start = end;
  }
  return recent;
}

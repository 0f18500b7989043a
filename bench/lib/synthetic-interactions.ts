/**
 * Interactions at any scale for the origin benchmarks, generated in batches so that ten million events
 * never sit in memory at once. Items have power-law popularity (the item of popularity rank r is drawn
 * with weight 1 / (r + 1)^exponent); users fall into taste clusters, each owning a share of the items,
 * and draw most events from their cluster's items (by the same power law over the cluster's own ranks),
 * the rest from the whole catalogue. Every user has the same chance per event, so every user has events
 * once there are several per user. Seeded: the same options give the same records everywhere.
 */
import type { IngestRecordInput } from "../../models/contracts/index.ts";
import { mulberry32, type Rng } from "../../models/random.ts";

export interface SyntheticInteractionOptions {
  users: number;
  items: number;
  events: number;
  seed: number;
  /** Taste clusters. Default 32. */
  clusters?: number;
  /** Share of events drawn from the user's cluster's items. Default 0.8. */
  inTasteShare?: number;
  /** The popularity power law's exponent. Default 1. */
  exponent?: number;
  /** The newest event's time (epoch ms); events spread over the `days` before it. */
  endMs?: number;
  days?: number;
}

type FunnelStep = "view" | "click" | "add_to_cart" | "purchase";

/** One generated interaction, an IngestRecordInput with every field the generator sets. */
export type SyntheticEvent = Extract<IngestRecordInput, { type: FunnelStep }> & {
  user_id: string;
  item_id: string;
  ts: number;
};

/** view → click → add_to_cart, as cumulative shares of events; purchase the rest. */
const FUNNEL: ReadonlyArray<readonly [FunnelStep, number]> = [
  ["view", 0.7],
  ["click", 0.9],
  ["add_to_cart", 0.96],
];

function eventType(draw: number): FunnelStep {
  for (const [type, share] of FUNNEL) {
    if (draw < share) {
      return type;
    }
  }
  return "purchase";
}

/** Cumulative power-law weights over `count` ranks, for drawing a rank by binary search. */
function powerLawTable(count: number, exponent: number): Float64Array {
  const table = new Float64Array(count);
  let total = 0;
  for (let rank = 0; rank < count; rank++) {
    total += 1 / (rank + 1) ** exponent;
    table[rank] = total;
  }
  return table;
}

function drawRank(table: Float64Array, rng: Rng): number {
  const target = rng() * (table[table.length - 1] as number);
  let low = 0;
  let high = table.length - 1;
  while (low < high) {
    const middle = (low + high) >>> 1;
    if ((table[middle] as number) < target) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }
  return low;
}

/** 0 … n−1 in a seeded random order. */
function shuffled(n: number, rng: Rng): Int32Array {
  const order = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    order[i] = i;
  }
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng() * (i + 1));
    const swap = order[i] as number;
    order[i] = order[j] as number;
    order[j] = swap;
  }
  return order;
}

/** User n's taste cluster: a multiplicative hash, so clusters do not follow user numbers. */
export function tasteCluster(user: number, clusters: number): number {
  return ((user * 2_654_435_761) % 2 ** 32) % clusters;
}

/** The interactions in batches of `batchSize` records; event ids are `e<n>`, users `u<n>`, items `i<n>`. */
export function* syntheticInteractions(
  options: SyntheticInteractionOptions,
  batchSize: number,
): Generator<SyntheticEvent[]> {
  const rng = mulberry32(options.seed);
  const clusters = Math.min(options.clusters ?? 32, options.items);
  const inTaste = options.inTasteShare ?? 0.8;
  const exponent = options.exponent ?? 1;
  const endMs = options.endMs ?? Date.UTC(2026, 10, 30);
  const spanMs = (options.days ?? 90) * 86_400_000;

  // Popularity rank → item; cluster c owns the ranks r with r mod clusters = c, so each cluster has
  // popular and rare items of its own.
  const byRank = shuffled(options.items, rng);
  const global = powerLawTable(options.items, exponent);
  const perCluster = powerLawTable(Math.floor(options.items / clusters), exponent);

  for (let start = 0; start < options.events; start += batchSize) {
    const batch: SyntheticEvent[] = [];
    for (let n = start; n < Math.min(options.events, start + batchSize); n++) {
      const user = Math.floor(rng() * options.users);
      const rank =
        rng() < inTaste
          ? drawRank(perCluster, rng) * clusters + tasteCluster(user, clusters)
          : drawRank(global, rng);
      const type = eventType(rng());
      batch.push({
        event_id: `e${n}`,
        type,
        user_id: `u${user}`,
        item_id: `i${byRank[rank] as number}`,
        ts: endMs - Math.floor(rng() * spanMs),
        source: "bench",
      });
    }
    yield batch;
  }
}

/**
 * A generated shop with real structure, for the end-to-end test, the local demo and benchmarks: users fall
 * into taste clusters, each preferring a few item categories; they browse mostly (not only) within their
 * cluster's categories, favour popular items there, and go down a view → click → cart → purchase funnel.
 * Some purchases get a rating and a review whose words follow the rating; users on the "plus" plan and
 * heavier users buy more, so a purchase-probability model has a signal. A few items never see an event
 * (cold start). Seeded: the same options give the same records everywhere.
 */
import type { IngestRecordInput } from "../../../models/contracts/index.ts";
import { mulberry32, type Rng } from "../../../models/random.ts";
import { sampleImageUrl } from "./product-images.ts";
import { reviewText } from "./review-text.ts";

export const SAMPLE_CATEGORIES = [
  "books",
  "music",
  "film",
  "games",
  "garden",
  "kitchen",
  "sports",
  "toys",
] as const;

/** Words of each category's item descriptions, so content vectors can tell categories apart. */
const CATEGORY_WORDS: Record<string, readonly string[]> = {
  books: ["novel", "paperback", "author", "chapters", "story"],
  music: ["album", "vinyl", "songs", "band", "acoustic"],
  film: ["movie", "director", "bluray", "cinema", "actors"],
  games: ["console", "multiplayer", "levels", "controller", "puzzle"],
  garden: ["plants", "soil", "seeds", "hose", "outdoor"],
  kitchen: ["pan", "knife", "recipes", "oven", "stainless"],
  sports: ["running", "fitness", "ball", "training", "shoes"],
  toys: ["kids", "lego", "plush", "blocks", "playful"],
};

export interface TasteClusterOptions {
  /** The newest event's time (epoch ms); events spread over the `days` before it. */
  endMs: number;
  seed?: number;
  users?: number;
  items?: number;
  /** Taste clusters; cluster c prefers `categoriesPerCluster` consecutive categories from c on. */
  clusters?: number;
  categoriesPerCluster?: number;
  /** Browsing sessions per user, drawn uniformly from [min, max]. */
  sessionsPerUser?: readonly [number, number];
  /** Share of sessions within the cluster's categories. */
  inTasteShare?: number;
  /** Items (the last ones) that no event touches. */
  coldItems?: number;
  days?: number;
  /** Prefix of every id, so several data sets can share one store. */
  prefix?: string;
  source?: string;
  /** Give items an image_url on the sample image host (product-images.ts). Default false. */
  images?: boolean;
}

export interface TasteClusterData {
  /** Item records, then user records, then interactions in time order. */
  records: IngestRecordInput[];
  users: Array<{ userId: string; cluster: number; plan: "free" | "plus" }>;
  items: Array<{ itemId: string; category: string }>;
  /** The categories each cluster prefers. */
  clusterCategories: string[][];
  categories: readonly string[];
}

const DAY_MS = 86_400_000;

export function generateTasteClusterData(options: TasteClusterOptions): TasteClusterData {
  const o = {
    seed: 1,
    users: 300,
    items: 200,
    clusters: 4,
    categoriesPerCluster: 2,
    sessionsPerUser: [15, 35] as const,
    inTasteShare: 0.85,
    coldItems: 8,
    days: 60,
    prefix: "",
    source: "sample",
    ...options,
  };
  const rng = mulberry32(o.seed);
  const categories = SAMPLE_CATEGORIES;
  const clusterCategories = Array.from({ length: o.clusters }, (_, c) =>
    Array.from(
      { length: o.categoriesPerCluster },
      (_, k) => categories[(c * o.categoriesPerCluster + k) % 8]!,
    ),
  );
  const startMs = o.endMs - o.days * DAY_MS;
  const records: IngestRecordInput[] = [];
  let eventNumber = 0;
  const eventId = () => `${o.prefix}ev-${++eventNumber}`;

  const items = Array.from({ length: o.items }, (_, i) => ({
    itemId: `${o.prefix}item-${i}`,
    category: categories[i % categories.length]!,
  }));
  for (const [i, item] of items.entries()) {
    const words = CATEGORY_WORDS[item.category]!;
    records.push({
      event_id: eventId(),
      type: "item",
      ts: startMs,
      source: o.source,
      item_id: item.itemId,
      title: `${capitalise(item.category)} item ${i}`,
      text: `A ${pick(rng, words)} with ${pick(rng, words)} and ${pick(rng, words)}.`,
      categories: [item.category],
      price: Math.round(500 + rng() * 9500) / 100,
      ...(o.images ? { image_url: sampleImageUrl(item.category, o.seed * 10_000 + i) } : {}),
    });
  }
  // Zipf-like weights within each category; cold items get none.
  const warm = items.slice(0, Math.max(0, o.items - o.coldItems));
  const byCategory = new Map<string, Array<{ itemId: string; weight: number }>>();
  for (const [rank, item] of warm.entries()) {
    const list = byCategory.get(item.category) ?? [];
    list.push({ itemId: item.itemId, weight: 1 / (1 + Math.floor(rank / categories.length)) ** 0.8 });
    byCategory.set(item.category, list);
  }

  const users = Array.from({ length: o.users }, (_, u) => ({
    userId: `${o.prefix}user-${u}`,
    cluster: u % o.clusters,
    plan: (rng() < 0.3 ? "plus" : "free") as "free" | "plus",
  }));
  const interactions: IngestRecordInput[] = [];
  for (const user of users) {
    const age = 18 + Math.floor(rng() * 50);
    records.push({
      event_id: eventId(),
      type: "user",
      ts: startMs,
      source: o.source,
      user_id: user.userId,
      attributes: { plan: user.plan, age },
    });
    const [minSessions, maxSessions] = o.sessionsPerUser;
    const sessions = minSessions + Math.floor(rng() * (maxSessions - minSessions + 1));
    // Heavier users and plus members buy more: the behaviour model's signal.
    const buyBoost = (user.plan === "plus" ? 1.6 : 1) * (0.6 + (0.8 * sessions) / maxSessions);
    for (let s = 0; s < sessions; s++) {
      const inTaste = rng() < o.inTasteShare;
      const category = inTaste
        ? pick(rng, clusterCategories[user.cluster]!)
        : pick(
            rng,
            categories.filter((c) => !clusterCategories[user.cluster]!.includes(c)),
          );
      const candidates = byCategory.get(category);
      if (!candidates || candidates.length === 0) {
        continue;
      }
      const itemId = weightedPick(rng, candidates);
      const ts = Math.floor(startMs + rng() * (o.endMs - startMs - 60_000));
      interactions.push(
        ...session(rng, { user: user.userId, itemId, category, ts, inTaste, buyBoost, source: o.source }),
      );
    }
  }
  interactions.sort((a, b) => (a.ts as number) - (b.ts as number));
  for (const record of interactions) {
    record.event_id = eventId();
    // One push per record: spreading hundreds of thousands of arguments overflows the stack.
    records.push(record);
  }
  return { records, users, items, clusterCategories, categories };
}

interface SessionInput {
  user: string;
  itemId: string;
  category: string;
  ts: number;
  inTaste: boolean;
  buyBoost: number;
  source: string;
}

/** One visit to one item: view, maybe click, cart, purchase, rating and review, seconds apart. */
function session(rng: Rng, s: SessionInput): IngestRecordInput[] {
  const base = { source: s.source, user_id: s.user, item_id: s.itemId, event_id: "" };
  const out: IngestRecordInput[] = [{ ...base, type: "view", ts: s.ts }];
  if (rng() >= 0.5) {
    return out;
  }
  out.push({ ...base, type: "click", ts: s.ts + 5_000 });
  if (rng() >= 0.4) {
    return out;
  }
  out.push({ ...base, type: "add_to_cart", ts: s.ts + 20_000 });
  if (rng() >= Math.min(0.95, 0.45 * s.buyBoost)) {
    return out;
  }
  out.push({ ...base, type: "purchase", ts: s.ts + 40_000, value: 10 + Math.floor(rng() * 90) });
  if (rng() >= 0.6) {
    return out;
  }
  // Unhappy buyers (mostly out of their taste) rate and complain more often than happy ones praise.
  const happy = s.inTaste ? rng() < 0.85 : rng() < 0.3;
  const rating = happy ? 4 + Math.floor(rng() * 2) : 1 + Math.floor(rng() * 2);
  out.push({ ...base, type: "rating", ts: s.ts + 50_000, value: rating });
  if (rng() < (happy ? 0.6 : 0.9)) {
    out.push({
      ...base,
      type: "review",
      ts: s.ts + 55_000,
      value: rating,
      text: reviewText(rng, rating, `${s.category} ${s.itemId}`),
    });
  }
  return out;
}

function pick<T>(rng: Rng, values: readonly T[]): T {
  return values[Math.floor(rng() * values.length)]!;
}

function weightedPick(rng: Rng, candidates: ReadonlyArray<{ itemId: string; weight: number }>): string {
  let total = 0;
  for (const c of candidates) {
    total += c.weight;
  }
  let r = rng() * total;
  for (const c of candidates) {
    r -= c.weight;
    if (r < 0) {
      return c.itemId;
    }
  }
  return candidates[candidates.length - 1]!.itemId;
}

function capitalise(word: string): string {
  return word.charAt(0).toUpperCase() + word.slice(1);
}

/** The training steps on small hand-made logs: the fallbacks and skips a thin data set must take. */
import { describe, expect, it } from "vitest";
import { INTERACTION_TYPE_CODE } from "../../../../models/contracts/index.ts";
import { mulberry32 } from "../../../../models/random.ts";
import type { ItemRow, UserRow } from "../../../../origin/ingest/store/index.ts";
import { type InteractionLog, interactionMatrix, interactionPairs } from "../../../../origin/train/index.ts";
import { trainBehaviourStep } from "../../../../origin/train/pipeline/train-behaviour-step.ts";
import { trainRecommender } from "../../../../origin/train/pipeline/train-recommender.ts";
import { reviewLabels, trainSentimentStep } from "../../../../origin/train/pipeline/train-sentiment-step.ts";

const NOW = Date.UTC(2026, 10, 20);

type Event = [
  user: number,
  item: number,
  type: keyof typeof INTERACTION_TYPE_CODE,
  tsMs: number,
  value?: number,
];

function logOf(
  users: number,
  items: number,
  events: Event[],
  attributes: (u: number) => Record<string, string | number | boolean> = () => ({}),
): InteractionLog {
  const at = new Date(0);
  return {
    users: Array.from(
      { length: users },
      (_, u): UserRow => ({
        idx: u + 1,
        userId: `u${u}`,
        attributes: attributes(u),
        attributesTsMs: null,
        firstSeenAt: at,
      }),
    ),
    items: Array.from(
      { length: items },
      (_, i): ItemRow => ({
        idx: i + 1,
        itemId: `i${i}`,
        title: null,
        text: null,
        categories: [],
        price: null,
        imageUrl: null,
        attributes: {},
        attributesTsMs: null,
        firstSeenAt: at,
      }),
    ),
    length: events.length,
    user: Int32Array.from(events, (e) => e[0]),
    item: Int32Array.from(events, (e) => e[1]),
    typeCode: Uint8Array.from(events, (e) => INTERACTION_TYPE_CODE[e[2]]),
    tsMs: Float64Array.from(events, (e) => e[3]),
    value: Float32Array.from(events, (e) => e[4] ?? Number.NaN),
    window: { startMs: Math.min(...events.map((e) => e[3])), endMs: Math.max(...events.map((e) => e[3])) },
  };
}

describe("the recommendation step", () => {
  it("falls back to popularity, and says why, when there are too few interactions", () => {
    const log = logOf(3, 4, [
      [0, 0, "view", NOW - 1000],
      [0, 1, "purchase", NOW - 900],
      [1, 1, "view", NOW - 800],
      [2, 1, "click", NOW - 700],
      [2, 3, "view", NOW - 600],
    ]);
    const result = trainRecommender(interactionPairs(log), log, NOW);
    expect(result).toMatchObject({ kind: "popularity", mf: null });
    expect(Array.from(result.popularity)).toEqual([1, 3, 0, 1]);
    expect(result.notes[0]).toMatch(/popularity only: 5 user-item pairs/);
  });

  it("weighs a purchase above a view in the training matrix", () => {
    const log = logOf(1, 2, [
      [0, 0, "view", NOW],
      [0, 1, "purchase", NOW],
    ]);
    const m = interactionMatrix(log);
    expect(m.values[1]).toBeGreaterThan(m.values[0]!);
  });
});

describe("the sentiment step", () => {
  it("labels a review by its own value, else by the same user's rating of the item; 3 stars is no label", () => {
    const log = logOf(2, 2, [
      [0, 0, "rating", NOW, 5],
      [1, 1, "rating", NOW, 1],
    ]);
    const reviews = {
      user: Int32Array.of(0, 1, 0, 1),
      item: Int32Array.of(0, 1, 1, 0),
      value: Float32Array.of(Number.NaN, Number.NaN, 2, 3),
      texts: ["a", "b", "c", "d"],
    };
    expect(Array.from(reviewLabels(reviews, log))).toEqual([1, 0, 0, -1]);
  });

  it("is skipped, with the counts, when labelled reviews are too few", async () => {
    const log = logOf(1, 1, [[0, 0, "view", NOW]]);
    const reviews = {
      user: Int32Array.of(0),
      item: Int32Array.of(0),
      value: Float32Array.of(5),
      texts: ["great"],
    };
    const result = await trainSentimentStep(reviews, log, "v1");
    expect(result).toMatchObject({ trained: false });
    expect(result.trained ? "" : result.reason).toMatch(/1 positive and 0 negative/);
  });
});

const DAY = 86_400_000;

/**
 * 600 users over 60 days. Each views items at a rate of their own; heavy viewers add to cart more, and a
 * user is `churned` when on the monthly plan with few views (the business's own flag).
 */
function shopLog(seed: number) {
  const rng = mulberry32(seed);
  const users = 600;
  const events: Event[] = [];
  const plans = Array.from({ length: users }, () => (rng() < 0.5 ? "monthly" : "yearly"));
  const rates = Array.from({ length: users }, () => rng());
  for (let u = 0; u < users; u++) {
    const views = Math.floor(rates[u]! * 30);
    for (let v = 0; v < views; v++) {
      events.push([u, Math.floor(rng() * 20), "view", NOW - Math.floor(rng() * 60 * DAY)]);
    }
    if (views === 0) {
      events.push([u, 0, "view", NOW - 50 * DAY]);
    }
    if (rng() < rates[u]! * 0.9) {
      events.push([u, Math.floor(rng() * 20), "add_to_cart", NOW - Math.floor(rng() * 13 * DAY) - 1]);
    }
  }
  const churned = (u: number) => plans[u] === "monthly" && rates[u]! < 0.4;
  return logOf(users, 20, events, (u) => ({
    plan: plans[u]!,
    churned: churned(u) ? (rng() < 0.9 ? "yes" : "no") : rng() < 0.05 ? "yes" : "no",
  }));
}

describe("the behaviour step", () => {
  it("learns a user-attribute target (attribute:churned) from the other attributes and activity", async () => {
    const log = shopLog(21);
    const result = await trainBehaviourStep(log, NOW, "v1", { target: "attribute:churned" });
    if (!result.trained) {
      throw new Error(result.reason);
    }
    expect(result.release.metrics?.auc).toBeGreaterThan(0.85);
    expect(result.release.metrics?.base_rate).toBeGreaterThan(0.1);
    const columns = result.model.encoder.columns.map((column) => column.name);
    expect(columns).toContain("plan");
    expect(columns).toContain("views");
    expect(columns).not.toContain("churned");
    // Every user has a vector, of the encoder's width.
    expect(result.vectors.every((vector) => vector?.length === result.release.io.inputs[0]!.shape[1])).toBe(
      true,
    );
    expect(result.summary).toMatch(/churned is true; (logistic|gbdt) \(/);
  });

  it("learns an event-horizon target (event:add_to_cart:14d) from what was known before the horizon", async () => {
    const log = shopLog(22);
    const result = await trainBehaviourStep(log, NOW, "v1", { target: "event:add_to_cart:14d" });
    if (!result.trained) {
      throw new Error(result.reason);
    }
    expect(result.summary).toMatch(/^behaviour: add_to_cart within 14 days/);
    // Heavy viewers carted more, and views before the horizon tell who they are.
    expect(result.release.metrics?.auc).toBeGreaterThan(0.7);
    expect(result.release.featureVector).toBe("behaviour");
  });

  it("names the target in its reason when a class is missing", async () => {
    const log = shopLog(23);
    const result = await trainBehaviourStep(log, NOW, "v1", { target: "event:review:7d" });
    expect(result.trained ? "" : result.reason).toMatch(/review within 7 days.*0 of whom had review/);
  });

  it("is skipped when nobody bought in the label period", async () => {
    const events: Event[] = Array.from({ length: 150 }, (_, u) => [u, 0, "view", NOW - 20 * 86_400_000]);
    const result = await trainBehaviourStep(logOf(150, 1, events), NOW, "v1");
    expect(result.trained ? "" : result.reason).toMatch(
      /150 users active before the last 7 days, 0 of whom had purchase in them/,
    );
  });
});

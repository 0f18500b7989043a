/** GET /recommendations as a loggable decision: exploration around the engine's ranking, and the record. */
import { describe, expect, it } from "vitest";
import { DecisionRecord, SurfaceConfig } from "../../../models/contracts/index.ts";
import type { DecidedItem } from "../../../worker/decision/index.ts";
// The modules themselves, not the door: the door also exports the KV-backed flow, typed for workerd.
import { recommendationRecord } from "../../../worker/recommend/decision-record.ts";
import { explorationPool, exploreRanking } from "../../../worker/recommend/exploration.ts";

const surface = SurfaceConfig.parse({ name: "home", k: { default: 5, max: 10 }, candidates: 30 });
const none = { strategy: "none" } as const;
const greedy = { strategy: "epsilon-greedy", epsilon: 0.3, pool: 25 } as const;
const pool: DecidedItem[] = Array.from({ length: 25 }, (_, i) => ({
  item_id: `i${i}`,
  score: 1 - i / 25,
  source: i % 2 === 0 ? "model" : "popular",
}));

describe("exploration around the engine's ranking", () => {
  it("asks the engine for k items without exploration, and for the pool (within the candidates) with it", () => {
    expect(explorationPool(surface, undefined, none)).toEqual({ shownK: 5, engineK: 5, surface });
    expect(explorationPool(surface, 50, none).shownK).toBe(10);
    const asked = explorationPool(surface, 3, greedy);
    expect(asked).toMatchObject({ shownK: 3, engineK: 25 });
    expect(asked.surface.k.max).toBe(25);
    expect(explorationPool(surface, 3, { ...greedy, pool: 100 }).engineK).toBe(30);
  });

  it("shows the engine's ranking as it is, each slot with propensity 1, without exploration", () => {
    expect(exploreRanking(pool, 3, none, "d1")).toEqual({ items: pool.slice(0, 3), propensities: [1, 1, 1] });
  });

  it("gives each slot the exact epsilon-greedy propensity, and the same slate for the same decision id", () => {
    const counts = new Map<string, number>();
    for (let d = 0; d < 400; d++) {
      const { items, propensities } = exploreRanking(pool, 4, greedy, `decision-${d}`);
      const taken = new Set<string>();
      items.forEach((item, s) => {
        const best = pool.find((p) => !taken.has(p.item_id))!;
        const remaining = pool.length - s;
        expect(propensities[s]).toBeCloseTo(item === best ? 0.7 + 0.3 / remaining : 0.3 / remaining, 12);
        taken.add(item.item_id);
      });
      counts.set(items[0]!.item_id, (counts.get(items[0]!.item_id) ?? 0) + 1);
      expect(exploreRanking(pool, 4, greedy, `decision-${d}`)).toEqual({ items, propensities });
    }
    // The best item leads about 1 − ε + ε/25 of the time; others do too, sometimes.
    expect(counts.get("i0")! / 400).toBeGreaterThan(0.6);
    expect(counts.size).toBeGreaterThan(5);
  });
});

describe("the decision record", () => {
  const input = {
    decisionId: "d-1",
    nowMs: Date.UTC(2026, 10, 1),
    surface: "home",
    userId: "u-1",
    policy: { id: "engine:home", version: "4" },
    experiment: null,
    exploration: greedy,
    pool,
    shown: exploreRanking(pool, 4, greedy, "d-1"),
    coldStart: false,
    degraded: false,
  };

  it("lists the pool with the engine's score and source, and the shown slots with their propensities", () => {
    const record = DecisionRecord.parse(recommendationRecord(input));
    expect(record.actions).toHaveLength(25);
    expect(record.actions[3]).toEqual({ id: "i3", features: { score: pool[3]!.score, source: "popular" } });
    expect(record.ranking).toEqual(
      input.shown.items.map((item, s) => ({
        action_id: item.item_id,
        propensity: input.shown.propensities[s],
      })),
    );
    expect(record.policy).toEqual({ id: "engine:home", version: "4", algorithm: "epsilon-greedy" });
  });

  it("logs nothing when nothing was shown, and at most the slots a decision can hold", () => {
    expect(recommendationRecord({ ...input, shown: { items: [], propensities: [] } })).toBeNull();
    const many = Array.from({ length: 60 }, (_, i) => ({
      item_id: `m${i}`,
      score: 0,
      source: "model" as const,
    }));
    const record = recommendationRecord({ ...input, pool: many, shown: exploreRanking(many, 60, none, "x") });
    expect(record!.ranking).toHaveLength(50);
    expect(DecisionRecord.safeParse(record).success).toBe(true);
  });
});

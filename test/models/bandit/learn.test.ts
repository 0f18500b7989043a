import { describe, expect, it } from "vitest";
import { FeatureShapeError } from "../../../models/bandit/encode-features.ts";
import type { JoinedDecision } from "../../../models/bandit/join-rewards.ts";
import { learnFromDecision, learnFromJoined } from "../../../models/bandit/learn.ts";
import { createLinearState, refreshLinearState } from "../../../models/bandit/linear-state.ts";
import type { DecisionRecord } from "../../../models/contracts/decision.ts";

function decision(id: string, width: number, shown: number): DecisionRecord {
  const actions = ["a", "b", "c"].map((a, i) => ({
    id: a,
    vector: Array.from({ length: width }, (_, j) => (i + 1) * (j + 1) * 0.1),
  }));
  return {
    decision_id: id,
    ts: Date.UTC(2026, 10, 1),
    surface: "home",
    policy: { id: "p", version: "1", algorithm: "softmax-ucb" },
    experiment: null,
    context: { x: 0.4, seg: "a" },
    actions,
    ranking: actions.slice(0, shown).map((a) => ({ action_id: a.id, propensity: 0.5 })),
  };
}

describe("learning from joined decisions", () => {
  it("learns one example per slot that has a reward, none from null slots", () => {
    const state = createLinearState(4, 3, 1);
    expect(learnFromDecision(state, decision("d", 2, 3), [1, null, 0], "batch")).toBe(2);
    expect(state.examples).toBe(2);
  });

  it("skips a decision logged with vectors of another width, changes nothing for it, and learns the rest", () => {
    const state = createLinearState(4, 3, 1);
    const good: JoinedDecision = {
      decision: decision("good", 2, 2),
      slotRewards: [1, 0],
      outcome: "rewarded",
    };
    const old: JoinedDecision = { decision: decision("old", 5, 2), slotRewards: [1, 0], outcome: "rewarded" };
    expect(() =>
      learnFromDecision(createLinearState(4, 3, 1), old.decision, old.slotRewards, "batch"),
    ).toThrow(FeatureShapeError);
    expect(learnFromJoined(state, [old, good, old])).toEqual({ examples: 2, skipped: 2 });
    const reference = createLinearState(4, 3, 1);
    learnFromJoined(reference, [good]);
    expect(state.a).toEqual(reference.a);
    expect(state.b).toEqual(reference.b);
  });

  it("reaches the same model online (per isolate) as in batch (origin)", () => {
    const online = createLinearState(4, 3, 1);
    const batch = createLinearState(4, 3, 1);
    for (let i = 0; i < 20; i++) {
      const rewards = [i % 2, (i % 3) / 2];
      learnFromDecision(online, decision(`d${i}`, 2, 2), rewards, "online");
      learnFromDecision(batch, decision(`d${i}`, 2, 2), rewards, "batch");
    }
    refreshLinearState(batch);
    online.theta.forEach((v, i) => {
      expect(v).toBeCloseTo(batch.theta[i]!, 9);
    });
  });
});

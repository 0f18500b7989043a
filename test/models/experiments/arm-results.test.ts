import { describe, expect, it } from "vitest";
import type { JoinedDecision } from "../../../models/bandit/join-rewards.ts";
import type { DecisionRecord } from "../../../models/contracts/decision.ts";
import { armResults } from "../../../models/experiments/arm-results.ts";
import { normalQuantile, wilsonInterval } from "../../../models/stats/index.ts";

let nextId = 0;

function joined(arm: string, reward: number, experimentId = "exp"): JoinedDecision {
  const decision: DecisionRecord = {
    decision_id: `d-${nextId++}`,
    ts: Date.UTC(2026, 10, 1),
    surface: "home",
    policy: { id: arm, version: "1", algorithm: "softmax-ucb" },
    experiment: { id: experimentId, arm },
    context: {},
    actions: [{ id: "a" }],
    ranking: [{ action_id: "a", propensity: 1 }],
  };
  return { decision, slotRewards: [reward], outcome: reward === 0 ? "default" : "rewarded" };
}

describe("confidence intervals", () => {
  it("matches published normal quantiles", () => {
    expect(normalQuantile(0.975)).toBeCloseTo(1.959963984540054, 8);
    expect(normalQuantile(0.995)).toBeCloseTo(2.5758293035489, 8);
    expect(normalQuantile(0.9)).toBeCloseTo(1.2815515655446004, 8);
    expect(normalQuantile(0.001)).toBeCloseTo(-3.090232306167813, 8);
  });

  it("matches published Wilson intervals", () => {
    // Newcombe (1998), Statistics in Medicine 17:857, table I: 81/263 → 0.2553–0.3662; 0/10 → 0–0.2775.
    const a = wilsonInterval(81, 263);
    expect(a.lower).toBeCloseTo(0.2553, 4);
    expect(a.upper).toBeCloseTo(0.3662, 4);
    const b = wilsonInterval(0, 10);
    expect(b.lower).toBe(0);
    expect(b.upper).toBeCloseTo(0.2775, 4);
  });
});

describe("per-arm experiment results", () => {
  it("uses Wilson for 0/1 rewards and the normal interval for graded ones, per arm, ignoring other experiments", () => {
    const log = [
      ...Array.from({ length: 40 }, (_, i) => joined("control", i < 10 ? 1 : 0)),
      ...Array.from({ length: 50 }, (_, i) => joined("bandit", i % 2 === 0 ? 0.5 : -0.25)),
      joined("control", 1, "another-experiment"),
    ];
    const [bandit, control] = armResults(log, "exp");
    expect(control).toMatchObject({ arm: "control", decisions: 40, rewarded: 10 });
    expect(control!.reward.method).toBe("wilson");
    expect(control!.reward.mean).toBeCloseTo(0.25, 12);
    expect(control!.reward).toMatchObject(wilsonInterval(10, 40));
    expect(bandit).toMatchObject({ arm: "bandit", decisions: 50 });
    expect(bandit!.reward.method).toBe("normal");
    expect(bandit!.reward.mean).toBeCloseTo(0.125, 12);
    // Sample sd of ±0.375 around the mean with n − 1: 0.375·√(50/49).
    const se = (0.375 * Math.sqrt(50 / 49)) / Math.sqrt(50);
    expect(bandit!.reward.upper - bandit!.reward.mean).toBeCloseTo(1.959963984540054 * se, 8);
  });
});

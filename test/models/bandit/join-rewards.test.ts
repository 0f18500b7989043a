import { describe, expect, it } from "vitest";
import { joinRewards } from "../../../models/bandit/join-rewards.ts";
import { learnFromJoined } from "../../../models/bandit/learn.ts";
import { createLinearState } from "../../../models/bandit/linear-state.ts";
import type { DecisionRecord, RewardRecord } from "../../../models/contracts/decision.ts";
import { mulberry32 } from "../../../models/random.ts";

const T0 = Date.UTC(2026, 10, 1);
const WINDOW = 60_000;

function decision(id: string, ts: number, shown = 1): DecisionRecord {
  const actions = ["a", "b", "c", "d"].map((a, i) => ({ id: a, vector: [i / 4, 1 - i / 4] }));
  return {
    decision_id: id,
    ts,
    surface: "home",
    policy: { id: "home-bandit", version: "1", algorithm: "softmax-ucb" },
    experiment: null,
    context: { x: 0.5 },
    actions,
    ranking: actions.slice(0, shown).map((a) => ({ action_id: a.id, propensity: 0.25 })),
  };
}

const reward = (decision_id: string, event_id: string, ts: number, value: number): RewardRecord => ({
  decision_id,
  event_id,
  ts,
  reward: value,
});

const now = T0 + 10 * WINDOW;

describe("joining rewards to decisions", () => {
  it("applies a reward in the window to the top slot and gives an unrewarded decision the default on its top slot", () => {
    const result = joinRewards(
      [decision("d1", T0, 3), decision("d2", T0 + 1)],
      [reward("d1", "e1", T0 + 5000, 0.8)],
      { windowMs: WINDOW, now, defaultReward: 0 },
    );
    expect(result.joined.map((j) => [j.decision.decision_id, j.slotRewards, j.outcome])).toEqual([
      ["d1", [0.8, null, null], "rewarded"],
      ["d2", [0], "default"],
    ]);
    expect(result.counters).toMatchObject({
      closedDecisions: 2,
      rewardedDecisions: 1,
      defaultedDecisions: 1,
      applied: 1,
    });
  });

  it("counts a retried reward (same decision and event id) once", () => {
    const r = reward("d1", "e1", T0 + 5000, 1);
    const result = joinRewards([decision("d1", T0)], [r, r, { ...r }], { windowMs: WINDOW, now });
    expect(result.joined[0]!.slotRewards).toEqual([1]);
    expect(result.counters).toMatchObject({ duplicates: 2, applied: 1, superseded: 0 });
  });

  it("keeps the latest of two distinct rewards (last write by event time wins), whatever their arrival order", () => {
    const click = reward("d1", "click", T0 + 1000, 0.3);
    const purchase = reward("d1", "purchase", T0 + 9000, 1);
    for (const order of [
      [click, purchase],
      [purchase, click],
    ]) {
      const result = joinRewards([decision("d1", T0)], order, { windowMs: WINDOW, now });
      expect(result.joined[0]!.slotRewards).toEqual([1]);
      expect(result.counters).toMatchObject({ applied: 1, superseded: 1 });
    }
  });

  it("drops a reward past the window as late, and the decision closes with the default", () => {
    const result = joinRewards([decision("d1", T0)], [reward("d1", "e1", T0 + WINDOW + 1, 1)], {
      windowMs: WINDOW,
      now,
      defaultReward: -0.1,
    });
    expect(result.joined[0]!.slotRewards).toEqual([-0.1]);
    expect(result.joined[0]!.outcome).toBe("default");
    expect(result.counters.late).toBe(1);
  });

  it("counts a reward for a decision an earlier run closed as late", () => {
    const result = joinRewards([], [reward("d0", "e1", now - 10, 1)], {
      windowMs: WINDOW,
      now,
      closedDecisionIds: new Set(["d0"]),
    });
    expect(result.counters).toMatchObject({ late: 1, unknownHeld: 0 });
    expect(result.heldRewards).toEqual([]);
  });

  it.each([
    ["above 1", { reward: 1.5 }],
    ["below -1", { reward: -2 }],
    ["not a number", { reward: Number.NaN }],
    ["infinite", { reward: Number.POSITIVE_INFINITY }],
    ["both reward and slot_rewards", { reward: 1, slot_rewards: [{ slot: 0, reward: 1 }] }],
    ["neither reward nor slot_rewards", {}],
    ["a slot reward out of range", { slot_rewards: [{ slot: 0, reward: 3 }] }],
  ])("ignores and counts an invalid reward: %s", (_, fields) => {
    const result = joinRewards(
      [decision("d1", T0)],
      [{ decision_id: "d1", event_id: "e1", ts: T0 + 10, ...fields }],
      { windowMs: WINDOW, now },
    );
    expect(result.counters.invalid).toBe(1);
    expect(result.joined[0]!.slotRewards).toEqual([0]);
  });

  it("ignores a reward for a slot the decision did not show", () => {
    const result = joinRewards(
      [decision("d1", T0, 2)],
      [{ decision_id: "d1", event_id: "e1", ts: T0 + 10, slot_rewards: [{ slot: 2, reward: 1 }] }],
      { windowMs: WINDOW, now },
    );
    expect(result.counters.badSlot).toBe(1);
    expect(result.joined[0]!.slotRewards).toEqual([0, null]);
  });

  it("reads a decision with per-slot rewards slot by slot, unmentioned shown slots taking the default", () => {
    const result = joinRewards(
      [decision("d1", T0, 3)],
      [
        reward("d1", "top", T0 + 10, 0.2),
        { decision_id: "d1", event_id: "third", ts: T0 + 20, slot_rewards: [{ slot: 2, reward: 1 }] },
      ],
      { windowMs: WINDOW, now },
    );
    expect(result.joined[0]!.slotRewards).toEqual([0.2, 0, 1]);
  });

  it("holds an unknown decision id's reward while its window could still see the decision, then drops it", () => {
    const fresh = reward("later", "e1", now - 1000, 1);
    const stale = reward("never", "e1", now - WINDOW - 1, 1);
    const result = joinRewards([], [fresh, stale], { windowMs: WINDOW, now });
    expect(result.heldRewards).toEqual([fresh]);
    expect(result.counters).toMatchObject({ unknownHeld: 1, unknownDropped: 1 });
  });

  it("returns open decisions with their rewards, and a later run joins them as a single run would have", () => {
    const decisions = [decision("old", T0), decision("recent", now - 1000, 2)];
    const rewards: RewardRecord[] = [
      reward("recent", "e1", now - 500, 1),
      reward("early", "e1", now - 400, 0.5),
      reward("recent", "e2", now + 2000, 0.4),
    ];
    const first = joinRewards(decisions, rewards.slice(0, 2), { windowMs: WINDOW, now });
    expect(first.openDecisions.map((d) => d.decision_id)).toEqual(["recent"]);
    expect(first.counters).toMatchObject({ openDecisions: 1, heldForOpenDecision: 1, unknownHeld: 1 });
    const later = now + WINDOW;
    const second = joinRewards(
      [...first.openDecisions, decision("early", now - 300)],
      [...first.heldRewards, rewards[2]!],
      { windowMs: WINDOW, now: later },
    );
    const single = joinRewards([...decisions, decision("early", now - 300)], rewards, {
      windowMs: WINDOW,
      now: later,
    });
    expect([...first.joined, ...second.joined]).toEqual(single.joined);
  });

  it("gives the same result for any order of decisions and rewards", () => {
    const decisions = Array.from({ length: 20 }, (_, i) => decision(`d${i}`, T0 + i * 1000, 2));
    const rng = mulberry32(3);
    const rewards = Array.from({ length: 60 }, (_, i) =>
      reward(
        `d${Math.floor(rng() * 25)}`,
        `e${i % 7}`,
        T0 + Math.floor(rng() * 2 * WINDOW),
        Math.round(rng() * 10) / 10,
      ),
    );
    const reference = joinRewards(decisions, rewards, { windowMs: WINDOW, now });
    const shuffled = joinRewards([...decisions].reverse(), [...rewards].reverse(), { windowMs: WINDOW, now });
    expect(shuffled.joined).toEqual(reference.joined);
    expect(shuffled.counters).toEqual(reference.counters);
  });

  it("keeps the first of two copies of a re-sent decision and counts the copy", () => {
    const result = joinRewards([decision("d1", T0), decision("d1", T0)], [], { windowMs: WINDOW, now });
    expect(result.joined).toHaveLength(1);
    expect(result.counters.duplicateDecisions).toBe(1);
  });

  it("learns the same model from a log with duplicate, late, invalid and unknown rewards as from the clean log", () => {
    const decisions = Array.from({ length: 30 }, (_, i) => decision(`d${i}`, T0 + i * 1000, 2));
    const clean = decisions.map((d, i) => reward(d.decision_id, "e", d.ts + 100, i % 3 === 0 ? 1 : 0));
    const noisy: unknown[] = [
      ...clean,
      ...clean.slice(0, 10),
      ...decisions.map((d) => reward(d.decision_id, "late", d.ts + WINDOW + 5, -1)),
      ...decisions.map((d) => ({ decision_id: d.decision_id, event_id: "bad", ts: d.ts + 10, reward: 7 })),
      ...decisions.map((d) => ({
        decision_id: d.decision_id,
        event_id: "slot",
        ts: d.ts + 10,
        slot_rewards: [{ slot: 9, reward: 1 }],
      })),
      reward("ghost", "e", T0, 1),
    ];
    const learn = (rewards: readonly unknown[]) => {
      const state = createLinearState(2, 3, 1);
      learnFromJoined(state, joinRewards(decisions, rewards, { windowMs: WINDOW, now }).joined);
      return state;
    };
    const fromClean = learn(clean);
    const fromNoisy = learn(noisy);
    expect(fromNoisy.a).toEqual(fromClean.a);
    expect(fromNoisy.b).toEqual(fromClean.b);
    expect(fromNoisy.examples).toBe(30);
  });
});

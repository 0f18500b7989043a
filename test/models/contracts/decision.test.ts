import { describe, expect, it } from "vitest";
import {
  DECISION_LIMITS,
  DEFAULT_REWARD_EVENT_ID,
  DecisionRecord,
  RankRequest,
  RewardRecord,
  RewardRequest,
  rewardRecordFromRequest,
} from "../../../models/contracts/decision.ts";

const request = {
  context: { user_id: "u1", surface: "home", features: { device: "mobile", hour: 14 } },
  actions: [
    { id: "a", features: { category: "shoes", price: 0.3 } },
    { id: "b", vector: [0.1, 0.2] },
    { id: "c" },
  ],
  k: 2,
};

const decision = {
  decision_id: "d1",
  ts: Date.UTC(2026, 10, 1),
  surface: "home",
  policy: { id: "home-bandit", version: "4", algorithm: "softmax-ucb" },
  experiment: { id: "exp", arm: "bandit" },
  context: { device: "mobile" },
  actions: request.actions,
  ranking: [
    { action_id: "b", propensity: 0.6 },
    { action_id: "a", propensity: 0.7 },
  ],
};

describe("rank requests", () => {
  it("parses a request with named features, a dense vector and a featureless action", () => {
    expect(RankRequest.parse(request)).toEqual(request);
  });

  it.each([
    ["duplicate action ids", { actions: [{ id: "a" }, { id: "a" }] }],
    ["no actions", { actions: [] }],
    [
      "too many actions",
      { actions: Array.from({ length: DECISION_LIMITS.actions + 1 }, (_, i) => ({ id: `a${i}` })) },
    ],
    ["an action with both features and a vector", { actions: [{ id: "a", features: {}, vector: [1] }] }],
    ["k above the slot limit", { k: DECISION_LIMITS.slots + 1 }],
    ["a non-finite vector value", { actions: [{ id: "a", vector: [Number.NaN] }] }],
    ["a surface that is not a slug", { context: { surface: "Home Page" } }],
  ])("rejects %s", (_, patch) => {
    expect(RankRequest.safeParse({ ...request, ...patch }).success).toBe(false);
  });
});

describe("decision records", () => {
  it("parses a logged decision", () => {
    expect(DecisionRecord.parse(decision)).toEqual(decision);
  });

  it.each([
    ["a propensity of 0 for a shown action", [{ action_id: "a", propensity: 0 }]],
    ["a propensity above 1", [{ action_id: "a", propensity: 1.2 }]],
    [
      "an action shown twice",
      [
        { action_id: "a", propensity: 0.5 },
        { action_id: "a", propensity: 0.5 },
      ],
    ],
    ["a shown action that was not a candidate", [{ action_id: "z", propensity: 0.5 }]],
  ])("rejects %s", (_, ranking) => {
    expect(DecisionRecord.safeParse({ ...decision, ranking }).success).toBe(false);
  });
});

describe("rewards", () => {
  it.each([
    ["above 1", { reward: 1.01 }],
    ["below -1", { reward: -1.01 }],
    ["both reward and slot_rewards", { reward: 1, slot_rewards: [{ slot: 0, reward: 1 }] }],
    ["neither", {}],
    [
      "a slot twice",
      {
        slot_rewards: [
          { slot: 1, reward: 1 },
          { slot: 1, reward: 0 },
        ],
      },
    ],
    ["a negative slot", { slot_rewards: [{ slot: -1, reward: 1 }] }],
    ["ts in epoch seconds", { reward: 1, ts: 1_790_000_000 }],
  ])("rejects a reward request %s (the edge answers 4xx)", (_, fields) => {
    expect(RewardRequest.safeParse({ decision_id: "d1", ...fields }).success).toBe(false);
  });

  it("accepts the bounds, and fills a missing event id and ts when the edge logs it", () => {
    const parsed = RewardRequest.parse({ decision_id: "d1", reward: -1 });
    const record = rewardRecordFromRequest(parsed, Date.UTC(2026, 10, 1, 12));
    expect(record).toEqual({
      decision_id: "d1",
      event_id: DEFAULT_REWARD_EVENT_ID,
      ts: Date.UTC(2026, 10, 1, 12),
      reward: -1,
    });
    expect(RewardRecord.parse(record)).toEqual(record);
  });

  it("normalises an ISO timestamp to epoch milliseconds and keeps a client event id", () => {
    const parsed = RewardRequest.parse({
      decision_id: "d1",
      event_id: "purchase-77",
      ts: "2026-11-01T12:00:00Z",
      slot_rewards: [{ slot: 2, reward: 1 }],
    });
    expect(rewardRecordFromRequest(parsed, 0)).toEqual({
      decision_id: "d1",
      event_id: "purchase-77",
      ts: Date.UTC(2026, 10, 1, 12),
      slot_rewards: [{ slot: 2, reward: 1 }],
    });
  });
});

/**
 * POST /rank, POST /reward and GET /recommendations' decision logging inside a real workerd, forwarding
 * to the real origin app (PGlite) over HTTP, directly (waitUntil) and through a Miniflare queue; learning
 * runs on the origin's store show what the join makes of each reward.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import {
  BanditConfig,
  banditPolicyToFile,
  createBanditPolicy,
  encodePolicyBundle,
  learnFromJoined,
} from "../../models/bandit/index.ts";
import {
  DEFAULT_SURFACES,
  type DecisionRecord,
  kvKeys,
  type RewardRecord,
} from "../../models/contracts/index.ts";
import { mulberry32 } from "../../models/random.ts";
import { runLearning } from "../../origin/learn/index.ts";
import { createMiniflareKvWriter, publishArtifacts } from "../../origin/release/publish/index.ts";
import type { FaultyOrigin } from "../support/faulty-origin.ts";
import { type ForwardingEdges, startForwardingEdges } from "../support/forwarding-edges.ts";
import { edgeJson, seedDemoRelease, type TestEdge } from "../support/local-edge.ts";

let origin: FaultyOrigin;
let direct: TestEdge;
let queued: TestEdge;
let unconfigured: TestEdge;
let stack: ForwardingEdges | undefined;

const surfaces = {
  ...DEFAULT_SURFACES,
  home: { ...DEFAULT_SURFACES.home, exploration: { strategy: "epsilon-greedy", epsilon: 0.2, pool: 12 } },
  news: { name: "news", k: { default: 2 } },
  late: { name: "late" },
  pub: { name: "pub" },
  shape: { name: "shape", bandit: { contextDims: 4, actionDims: 4 } },
  exp: {
    name: "exp",
    experiment: {
      id: "exp-1",
      arms: [
        { id: "control", weight: 1 },
        { id: "greedy", weight: 1, bandit: { algorithm: "epsilon-greedy", epsilon: 0.1 } },
      ],
    },
  },
};

/** Publishes the surfaces above next to the demo catalogue, as the origin would. */
async function publishSurfaces(edge: TestEdge) {
  await seedDemoRelease(edge, { users: 5 });
  const models = await edge.kv("MODELS");
  const manifest = JSON.parse((await models.get(kvKeys.currentManifest, "text"))!);
  manifest.surfaces = surfaces;
  await models.put(kvKeys.currentManifest, JSON.stringify(manifest));
}

beforeAll(async () => {
  stack = await startForwardingEdges();
  ({ origin, direct, queued, unconfigured } = stack);
  await Promise.all([direct, queued, unconfigured].map(publishSurfaces));
});

afterAll(async () => {
  await stack?.close();
});

/** `count` actions with seeded 7-value vectors (the default bandit's 8 action dims, less the bias). */
function actions(count: number, seed = 3) {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, (_, i) => ({
    id: `a${i}`,
    vector: Array.from({ length: 7 }, () => Math.round((rng() * 2 - 1) * 100) / 100),
  }));
}

function post(edge: TestEdge, path: string, body: unknown) {
  return edgeJson(edge, path, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
}

async function rank(
  edge: TestEdge,
  surface: string,
  options: { user?: string; k?: number; count?: number } = {},
) {
  const { status, body } = await post(edge, "/rank", {
    context: {
      surface,
      features: { device: "mobile", hour: 9 },
      ...(options.user ? { user_id: options.user } : {}),
    },
    actions: actions(options.count ?? 4),
    ...(options.k ? { k: options.k } : {}),
  });
  expect(status).toBe(200);
  return body as {
    decision_id: string;
    ranking: { action_id: string; propensity: number }[];
    policy: { id: string; version: string; algorithm: string };
    experiment: { id: string; arm: string } | null;
    cold_start: boolean;
    degraded: boolean;
    degraded_causes: { code: string }[];
  };
}

const waitFor = <T>(check: () => Promise<T>) => vi.waitFor(check, { timeout: 20_000, interval: 50 });

async function storedDecision(id: string): Promise<DecisionRecord> {
  return waitFor(async () => {
    const rows = await origin.sql.query("SELECT record FROM learning_decisions WHERE decision_id = $1", [id]);
    expect(rows).toHaveLength(1);
    return rows[0]![0] as DecisionRecord;
  });
}

async function storedRewards(
  decisionId: string,
  count: number,
): Promise<{ record: RewardRecord; consumed: boolean }[]> {
  return waitFor(async () => {
    const rows = await origin.sql.query(
      "SELECT record, consumed_at IS NOT NULL FROM learning_rewards WHERE decision_id = $1 ORDER BY event_id",
      [decisionId],
    );
    expect(rows).toHaveLength(count);
    return rows.map((row) => ({ record: row[0] as RewardRecord, consumed: row[1] === true }));
  });
}

async function joinedOutcome(decisionId: string) {
  const rows = await origin.sql.query(
    "SELECT closed_at IS NOT NULL, outcome, slot_rewards FROM learning_decisions WHERE decision_id = $1",
    [decisionId],
  );
  return { closed: rows[0]![0], outcome: rows[0]![1], slotRewards: rows[0]![2] };
}

/** A learning run whose clock is `aheadMs` past now, with a one-minute window and no arrival delay. */
const learn = (aheadMs: number) =>
  runLearning(
    { store: origin.learningStore },
    { windowMs: 60_000, arrivalDelayMs: 0, nowMs: Date.now() + aheadMs },
  );

describe("POST /rank", () => {
  it("ranks at random before a policy is published, with exact propensities, and logs the decision", async () => {
    const answer = await rank(direct, "news", { user: "u-1", count: 4 });
    expect(answer).toMatchObject({
      policy: { id: "news", version: "cold-start", algorithm: "epsilon-greedy" },
      experiment: null,
      cold_start: true,
      degraded: false,
    });
    // k from the surface's default (2): a uniform draw without replacement, 1/4 then 1/3.
    expect(answer.ranking.map((r) => r.propensity)).toEqual([1 / 4, 1 / 3]);
    const logged = await storedDecision(answer.decision_id);
    expect(logged).toMatchObject({
      decision_id: answer.decision_id,
      surface: "news",
      user_id: "u-1",
      policy: answer.policy,
      ranking: answer.ranking,
      context: { device: "mobile", hour: 9 },
    });
    expect(logged.actions).toEqual(actions(4));
  });

  it("serves a published policy, and ranks at random (degraded) when its shape no longer fits the surface", async () => {
    const config = BanditConfig.parse({});
    const trained = createBanditPolicy({ id: "pub", version: "v7", surface: "pub", config });
    learnFromJoined(trained.state, []);
    const misfit = createBanditPolicy({ id: "shape", version: "v1", surface: "shape", config });
    await publishArtifacts({ models: createMiniflareKvWriter(await direct.kv("MODELS")) }, [
      {
        name: "bandit",
        version: "test-1",
        bytes: encodePolicyBundle([banditPolicyToFile(trained), banditPolicyToFile(misfit)]),
      },
    ]);
    const served = await rank(direct, "pub");
    expect(served).toMatchObject({
      cold_start: false,
      degraded: false,
      policy: { id: "pub", version: "v7", algorithm: "softmax-ucb" },
    });
    const misfitAnswer = await post(direct, "/rank", {
      context: { surface: "shape" },
      actions: [
        { id: "x", vector: [1, 2, 3] },
        { id: "y", vector: [3, 2, 1] },
      ],
    });
    expect(misfitAnswer.body).toMatchObject({
      cold_start: true,
      degraded: true,
      degraded_causes: [{ code: "policy_config_mismatch" }],
      policy: { id: "shape", version: "cold-start" },
    });
  });

  it("assigns a user to the same experiment arm every time, and logs the arm's own policy", async () => {
    const arms = new Map<string, string>();
    for (let u = 0; u < 12; u++) {
      const first = await rank(direct, "exp", { user: `exp-user-${u}` });
      const again = await rank(direct, "exp", { user: `exp-user-${u}` });
      expect(again.experiment).toEqual(first.experiment);
      expect(first.policy.id).toBe(`exp.${first.experiment!.arm}`);
      arms.set(`exp-user-${u}`, first.experiment!.arm);
    }
    expect(new Set(arms.values())).toEqual(new Set(["control", "greedy"]));
  });

  it("refuses vectors that do not fit the surface, an unknown surface and duplicate action ids", async () => {
    const badVector = await post(direct, "/rank", {
      context: { surface: "news" },
      actions: [{ id: "x", vector: [1, 2] }],
    });
    expect(badVector.status).toBe(400);
    expect((badVector.body.error as { code: string }).code).toBe("invalid_actions");
    const unknown = await post(direct, "/rank", { context: { surface: "nowhere" }, actions: actions(2) });
    expect((unknown.body.error as { code: string }).code).toBe("unknown_surface");
    const twice = await post(direct, "/rank", {
      context: { surface: "news" },
      actions: [...actions(1), ...actions(1)],
    });
    expect(twice.status).toBe(400);
    expect((twice.body.error as { message: string }).message).toContain("action ids must be unique");
  });

  it("refuses a lone surrogate or a NUL in a /rank id with 400, so no decision is answered that cannot be logged", async () => {
    for (const [context, actionId] of [
      [{ surface: "news", user_id: "u\ud800" }, "a0"],
      [{ surface: "news", user_id: "u\u0000" }, "a0"],
      [{ surface: "news" }, "a\udc00"],
    ] as const) {
      const { status, body } = await post(direct, "/rank", {
        context,
        actions: [{ id: actionId }, { id: "b" }],
      });
      expect(status, JSON.stringify(context)).toBe(400);
      expect((body.error as { code: string }).code).toBe("invalid_body");
    }
  });

  it("still ranks on an edge that cannot log, and says the decision cannot be rewarded", async () => {
    const answer = await rank(unconfigured, "news");
    expect(answer.degraded).toBe(true);
    expect(answer.degraded_causes.map((c) => c.code)).toEqual(["decision_not_logged"]);
  });
});

describe("POST /reward", () => {
  it("accepts a reward (202), which the origin stores and a learning run joins to its decision", async () => {
    const answer = await rank(direct, "news", { k: 2 });
    const accepted = await post(direct, "/reward", {
      decision_id: answer.decision_id,
      slot_rewards: [{ slot: 1, reward: 0.5 }],
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body).toEqual({
      accepted: true,
      decision_id: answer.decision_id,
      event_id: "default",
      forwarding: "direct",
    });
    await storedDecision(answer.decision_id);
    await storedRewards(answer.decision_id, 1);
    await learn(120_000);
    // Per-slot: the slot rewarded gets its reward, the other shown slot the default.
    expect(await joinedOutcome(answer.decision_id)).toEqual({
      closed: true,
      outcome: "rewarded",
      slotRewards: [0, 0.5],
    });
  });

  it("refuses out-of-range and malformed rewards with a 400 that names the problem, and forwards nothing", async () => {
    const cases = [
      [{ decision_id: "r-range", reward: 1.5 }, "reward must lie in [-1, 1]"],
      [{ decision_id: "r-range", reward: -2 }, "reward must lie in [-1, 1]"],
      [
        { decision_id: "r-range", reward: 1, slot_rewards: [{ slot: 0, reward: 1 }] },
        "exactly one of reward or slot_rewards",
      ],
      [{ decision_id: "r-range" }, "exactly one of reward or slot_rewards"],
      [{ decision_id: "r-range", slot_rewards: [{ slot: 0, reward: 2 }] }, "reward must lie in [-1, 1]"],
      [{ reward: 1 }, "decision_id"],
      [{ decision_id: "r-range", event_id: "e\ud800", reward: 1 }, "event_id"],
      [{ decision_id: "r-\u0000", reward: 1 }, "decision_id"],
    ] as const;
    for (const [body, message] of cases) {
      const { status, body: answer } = await post(direct, "/reward", body);
      expect(status).toBe(400);
      expect((answer.error as { code: string; message: string }).message).toContain(message);
    }
    const malformed = await edgeJson(direct, "/reward", { method: "POST", body: "{" });
    expect(malformed.status).toBe(400);
    // Nothing is forwarded: a valid reward sent after them is the only one the origin gets for this id.
    await post(direct, "/reward", { decision_id: "r-range", reward: 1 });
    expect((await storedRewards("r-range", 1))[0]!.record.reward).toBe(1);
  });

  it("accepts a reward for an unknown decision (202); the origin holds it through its window, then drops it", async () => {
    const { status } = await post(direct, "/reward", {
      decision_id: "never-decided",
      reward: 1,
      event_id: "e1",
    });
    expect(status).toBe(202);
    await storedRewards("never-decided", 1);
    await learn(0);
    expect((await storedRewards("never-decided", 1))[0]!.consumed).toBe(false);
    const later = await learn(120_000);
    expect(later.join.unknownDropped).toBeGreaterThanOrEqual(1);
    expect((await storedRewards("never-decided", 1))[0]!.consumed).toBe(true);
  });

  it("stores a repeated reward once (the earliest), and learns the decision once", async () => {
    const answer = await rank(direct, "news", { k: 1 });
    // Event times before the decision's own: a reward's clock is the client's, and only lateness matters.
    const now = Date.now() - 5_000;
    for (const [value, ts] of [
      [1, now],
      [0.2, now + 20],
      [1, now],
    ] as const) {
      expect(
        (
          await post(direct, "/reward", {
            decision_id: answer.decision_id,
            reward: value,
            event_id: "buy",
            ts,
          })
        ).status,
      ).toBe(202);
    }
    // Without an event_id, a reward's key is "default": a second one is a retry of the first.
    await post(direct, "/reward", { decision_id: answer.decision_id, reward: -1 });
    await post(direct, "/reward", { decision_id: answer.decision_id, reward: 0.3 });
    await storedDecision(answer.decision_id);
    const stored = await storedRewards(answer.decision_id, 2);
    expect(stored.find((r) => r.record.event_id === "buy")!.record).toMatchObject({ reward: 1, ts: now });
    expect(stored.find((r) => r.record.event_id === "default")!.record.reward).toBe(-1);
    const before =
      (await origin.learningStore.policies()).find((p) => p.policyId === "news")?.state.examples ?? 0;
    await learn(120_000);
    const after = (await origin.learningStore.policies()).find((p) => p.policyId === "news")!.state.examples;
    expect(after - before).toBe(1);
    // Last write wins by event time: "default" (−1, stamped when the edge received it) is later than "buy".
    expect(await joinedOutcome(answer.decision_id)).toEqual({
      closed: true,
      outcome: "rewarded",
      slotRewards: [-1],
    });
  });

  it("counts a reward that arrives after its decision was joined as late, and does not learn it", async () => {
    const answer = await rank(direct, "late", { k: 1 });
    await storedDecision(answer.decision_id);
    await learn(120_000);
    expect(await joinedOutcome(answer.decision_id)).toEqual({
      closed: true,
      outcome: "default",
      slotRewards: [0],
    });
    const examples = (await origin.learningStore.policies()).find((p) => p.policyId === "late")!.state;

    expect((await post(direct, "/reward", { decision_id: answer.decision_id, reward: 1 })).status).toBe(202);
    await storedRewards(answer.decision_id, 1);
    const run = await learn(120_000);
    expect(run.join.late).toBeGreaterThanOrEqual(1);
    expect((await storedRewards(answer.decision_id, 1))[0]!.consumed).toBe(true);
    expect(await joinedOutcome(answer.decision_id)).toEqual({
      closed: true,
      outcome: "default",
      slotRewards: [0],
    });
    expect((await origin.learningStore.policies()).find((p) => p.policyId === "late")!.state).toEqual(
      examples,
    );
  });

  it("answers 503 on an edge that cannot forward rewards", async () => {
    const { status, body } = await post(unconfigured, "/reward", { decision_id: "x", reward: 1 });
    expect(status).toBe(503);
    expect((body.error as { code: string }).code).toBe("rewards_not_configured");
  });
});

describe("through the queue", () => {
  it("delivers decisions and rewards to the origin, which stores each once", async () => {
    const answer = await rank(queued, "news", { user: "q-1" });
    const accepted = await post(queued, "/reward", {
      decision_id: answer.decision_id,
      reward: 1,
      event_id: "q",
    });
    expect(accepted.body).toMatchObject({ forwarding: "queue" });
    expect((await storedDecision(answer.decision_id)).ranking).toEqual(answer.ranking);
    expect((await storedRewards(answer.decision_id, 1))[0]!.record).toMatchObject({
      reward: 1,
      event_id: "q",
    });
  });
});

describe("GET /recommendations", () => {
  it("answers with propensities and logs its decision, which a reward can then score", async () => {
    const { status, body } = await edgeJson(direct, "/recommendations?user_id=demo-1&surface=product&k=3");
    expect(status).toBe(200);
    expect(body.propensities).toEqual([1, 1, 1]);
    const items = body.items as { item_id: string; score: number }[];
    const logged = await storedDecision(body.decision_id as string);
    expect(logged).toMatchObject({
      surface: "product",
      user_id: "demo-1",
      policy: { id: "engine:product", algorithm: "none" },
      ranking: items.map((item) => ({ action_id: item.item_id, propensity: 1 })),
    });
    expect(logged.actions.map((a) => a.features?.score)).toEqual(items.map((item) => item.score));
    expect((await post(direct, "/reward", { decision_id: body.decision_id, reward: 1 })).status).toBe(202);
  });

  it("explores around the engine's ranking when the surface says so, logging exact propensities", async () => {
    const { body } = await edgeJson(direct, "/recommendations?user_id=demo-2&surface=home&k=4");
    const propensities = body.propensities as number[];
    const logged = await storedDecision(body.decision_id as string);
    expect(logged.policy).toMatchObject({ id: "engine:home", algorithm: "epsilon-greedy" });
    // The pool is the engine's top 12; each slot keeps the next best with 1 − ε, plus ε/remaining.
    expect(logged.actions).toHaveLength(12);
    const pool = logged.actions.map((a) => a.id);
    const taken = new Set<string>();
    logged.ranking.forEach((slot, s) => {
      const best = pool.find((id) => !taken.has(id))!;
      const remaining = 12 - s;
      expect(slot.propensity).toBeCloseTo(
        slot.action_id === best ? 0.8 + 0.2 / remaining : 0.2 / remaining,
        12,
      );
      taken.add(slot.action_id);
    });
    expect(propensities).toEqual(logged.ranking.map((r) => r.propensity));
  });
});

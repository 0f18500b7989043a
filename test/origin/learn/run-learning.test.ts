/**
 * Learning runs over a real store (in-memory PGlite) and an in-memory KV: what a run joins, learns,
 * keeps for the next run, and publishes. The decisions come from the bandit simulator with a uniform
 * logging policy (the edge's cold start), rewards drawn from its hidden preferences.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BanditConfig } from "../../../models/bandit/config.ts";
import { BANDIT_ARTIFACT, decodePolicyBundle, encodeCandidates } from "../../../models/bandit/index.ts";
import type { DecisionRecord, RewardRecord } from "../../../models/contracts/index.ts";
import { mulberry32 } from "../../../models/random.ts";
import { openPgliteDatabase, type SqlDatabase } from "../../../origin/ingest/store/index.ts";
import {
  createLearningStore,
  isHoldout,
  type LearningStore,
  runLearning,
} from "../../../origin/learn/index.ts";
import { fixedTargets } from "../../../origin/release/index.ts";
import { publishRelease, readCurrentManifest } from "../../../origin/release/publish/index.ts";
import { createSimulator } from "../../support/bandit-simulator.ts";
import { createMemoryTargets } from "../release/support/memory-kv-writer.ts";
import { decision, reward, T0 } from "./support/learning-records.ts";

const WINDOW_MS = 60_000;
const sim = createSimulator({ seed: 5 });

let database: SqlDatabase;
beforeAll(async () => {
  database = await openPgliteDatabase();
  await database.migrate();
});
afterAll(async () => {
  await database?.sql.close();
});

/** The store with no learning state: one database for the file, emptied per test (opening one takes seconds). */
async function freshStore(): Promise<LearningStore> {
  await database.sql.query("TRUNCATE learning_decisions, learning_rewards, learning_policies, learning_runs");
  return createLearningStore(database.sql);
}

/**
 * Two actions shown uniformly at random; action "a" earns 1 and "b" 0, except on holdout decisions, where
 * it is the other way round: what the candidate learns is exactly wrong where the gate judges it.
 */
function adverseRounds(rounds: number, startMs: number, prefix = "adverse-") {
  const rng = mulberry32(13);
  const unit = (at: number) => Array.from({ length: 7 }, (_, j) => (j === at ? 1 : 0));
  const decisions: DecisionRecord[] = [];
  const rewards: RewardRecord[] = [];
  for (let t = 0; t < rounds; t++) {
    const id = `${prefix}${t}`;
    const ts = startMs + t * 1000;
    const shown = rng() < 0.5 ? "a" : "b";
    decisions.push({
      decision_id: id,
      ts,
      surface: "home",
      policy: { id: "home", version: "cold-start", algorithm: "epsilon-greedy" },
      experiment: null,
      context: {},
      actions: [
        { id: "a", vector: unit(0) },
        { id: "b", vector: unit(1) },
      ],
      ranking: [{ action_id: shown, propensity: 0.5 }],
    });
    rewards.push({
      decision_id: id,
      event_id: "outcome",
      ts: ts + 1,
      reward: (shown === "a") !== isHoldout(id) ? 1 : 0,
    });
  }
  return { decisions, rewards };
}

/**
 * `rounds` decisions of one slot logged uniformly at random (propensity 1/candidates) from `startMs`, one a
 * second, each rewarded 1 with the simulator's click probability.
 */
function loggedRounds(
  rounds: number,
  options: { startMs: number; prefix: string; seed: number; policyId?: string },
) {
  const rng = mulberry32(options.seed);
  const decisions: DecisionRecord[] = [];
  const rewards: RewardRecord[] = [];
  for (let t = 0; t < rounds; t++) {
    const user = sim.sampleUser(rng, `user-${t}`);
    const offered = sim.sampleCandidates(rng);
    const request = sim.rankRequest(user, offered, 1);
    const shown = Math.floor(rng() * offered.length);
    const id = `${options.prefix}${t}`;
    const ts = options.startMs + t * 1000;
    decisions.push({
      decision_id: id,
      ts,
      surface: "home",
      user_id: user.id,
      policy: { id: options.policyId ?? "home", version: "cold-start", algorithm: "epsilon-greedy" },
      experiment: null,
      context: request.context.features,
      actions: request.actions,
      ranking: [{ action_id: request.actions[shown]!.id, propensity: 1 / offered.length }],
    });
    const p = sim.clickProbability(user, offered[shown]!);
    if (rng() < p) {
      rewards.push({ decision_id: id, event_id: "click", ts: ts + 500, reward: 1 });
    }
  }
  return { decisions, rewards };
}

const closingAt = (rounds: number, startMs = T0) => startMs + rounds * 1000 + WINDOW_MS + 1;
const options = (nowMs: number, extra: Parameters<typeof runLearning>[1] = {}) => ({
  windowMs: WINDOW_MS,
  arrivalDelayMs: 0,
  nowMs,
  ...extra,
});

describe("a learning run", () => {
  it("joins what has closed, keeps the rest for the next run, and learns each bandit from its own decisions", async () => {
    const store = await freshStore();
    await store.insertDecisions([
      decision("a-1", { ts: T0 }),
      decision("a-2", { ts: T0 + 10_000 }),
      decision("a-open", { ts: T0 + 200_000 }),
      decision("arm-1", { ts: T0, policyId: "home.treatment", experiment: { id: "exp", arm: "treatment" } }),
      decision("engine-1", { ts: T0, policyId: "engine:home" }),
    ]);
    await store.insertRewards([
      reward("a-1", 1, { ts: T0 + 5_000 }),
      reward("a-1", 1, { ts: T0 + 5_000, eventId: "again" }),
      reward("a-open", 0.5, { ts: T0 + 200_500 }),
      reward("nobody", 1, { ts: T0 + 150_000 }),
      reward("nobody-old", 1, { ts: T0 }),
    ]);
    const report = await runLearning({ store }, options(T0 + 180_000));
    expect(report.join).toMatchObject({
      closedDecisions: 4,
      openDecisions: 1,
      rewardedDecisions: 1,
      defaultedDecisions: 3,
      applied: 1,
      superseded: 1,
      heldForOpenDecision: 1,
      unknownHeld: 1,
      unknownDropped: 1,
    });
    expect(report.notBandit).toBe(1);
    expect(report.published).toBeNull();
    const learned = Object.fromEntries(report.policies.map((p) => [p.policyId, p.examples]));
    expect(learned).toEqual({ home: 2, "home.treatment": 1 });
    const rows = new Map((await store.policies()).map((row) => [row.policyId, row]));
    expect(rows.get("home")?.state.examples).toBe(2);
    expect(rows.get("home.treatment")?.state.examples).toBe(1);
    expect((await store.openDecisions()).map((d) => d.decision_id)).toEqual(["a-open"]);
    const pending = (await store.pendingRewards()).rewards.map((r) => r.decision_id).sort();
    expect(pending).toEqual(["a-open", "nobody"]);
  });

  it("counts a reward for a decision an earlier run closed as late, and never learns it", async () => {
    const store = await freshStore();
    await store.insertDecisions([decision("late-1")]);
    await runLearning({ store }, options(closingAt(1)));
    const examples = (await store.policies())[0]!.state.examples;
    await store.insertRewards([reward("late-1", 1, { ts: T0 + 2_000 })]);
    const second = await runLearning({ store }, options(closingAt(1) + 1_000));
    expect(second.join).toMatchObject({ late: 1, applied: 0, closedDecisions: 0 });
    expect(second.policies).toEqual([]);
    expect((await store.policies())[0]!.state.examples).toBe(examples);
    expect((await store.pendingRewards()).rewards).toEqual([]);
  });

  it("publishes a policy that passes its gate, carrying the rest of the serving manifest over", async () => {
    const store = await freshStore();
    const targets = createMemoryTargets();
    const { manifest: serving } = await publishRelease(targets, {
      models: [],
      artifacts: [{ name: "catalog", version: "c1", bytes: new TextEncoder().encode("catalogue") }],
      surfaces: { home: { name: "home", bandit: { contextDims: 16, actionDims: 8 } } },
    });
    const logs = loggedRounds(600, { startMs: T0, prefix: "pub-", seed: 11 });
    await store.insertDecisions(logs.decisions);
    await store.insertRewards(logs.rewards);
    const report = await runLearning({ store, withTargets: fixedTargets(targets) }, options(closingAt(600)));

    const home = report.policies.find((p) => p.policyId === "home")!;
    expect(home.gate.publish).toBe(true);
    expect(home.gate.holdoutRecords).toBe(logs.decisions.filter((d) => isHoldout(d.decision_id)).length);
    expect(home.gate.estimates!.candidate).toBeGreaterThan(home.gate.estimates!.logging);
    const manifest = (await readCurrentManifest(targets.models))!;
    expect(report.published).toMatchObject({ manifestVersion: serving.version + 1, policies: ["home"] });
    expect(manifest.artifacts?.catalog).toEqual(serving.artifacts?.catalog);
    expect(manifest.surfaces).toEqual(serving.surfaces);
    const entry = manifest.artifacts![BANDIT_ARTIFACT]!;
    const bundle = decodePolicyBundle((await targets.models.getBytes(entry.keys[0]!))!);
    const policy = bundle.policies.home!;
    // Learned with the surface's configuration, from every closed decision, holdout included.
    expect(policy.config).toEqual(BanditConfig.parse({ contextDims: 16, actionDims: 8 }));
    expect(policy.parameters.examples).toBe(600);
    expect(policy.version).toBe(report.runId);
    expect(await store.lastBundleVersion()).toBe(entry.version);
    expect((await store.policies())[0]!.published?.version).toBe(report.runId);
  });

  it("holds back a candidate the gate cannot judge yet, or finds worse, unless forced", async () => {
    const store = await freshStore();
    const targets = createMemoryTargets();
    const withTargets = fixedTargets(targets);
    const few = loggedRounds(40, { startMs: T0, prefix: "few-", seed: 12 });
    await store.insertDecisions(few.decisions);
    await store.insertRewards(few.rewards);
    const first = await runLearning({ store, withTargets }, options(closingAt(40)));
    expect(first.policies[0]!.gate).toMatchObject({ publish: false });
    expect(first.policies[0]!.gate.reason).toContain("the gate needs 30");
    expect(first.published).toBeNull();

    // The holdout is rewarded against what the rest teaches: the candidate is worse where it is judged.
    const start = closingAt(40);
    const adverse = adverseRounds(400, start);
    await store.insertDecisions(adverse.decisions);
    await store.insertRewards(adverse.rewards);
    const second = await runLearning({ store, withTargets }, options(closingAt(400, start)));
    const gate = second.policies[0]!.gate;
    expect(gate.publish).toBe(false);
    expect(gate.reason).toMatch(/^worse/);
    expect(gate.estimates!.difference[1]).toBeLessThan(0);
    expect(second.published).toBeNull();

    const more = adverseRounds(5, closingAt(400, start), "forced-");
    await store.insertDecisions(more.decisions);
    const forced = await runLearning(
      { store, withTargets },
      options(closingAt(5, closingAt(400, start)), { force: true }),
    );
    expect(forced.policies[0]!.gate.reason).toMatch(/^forced despite: worse/);
    expect(forced.published?.policies).toEqual(["home"]);
  });

  it("puts the policies back when a release published by other means dropped them", async () => {
    const store = await freshStore();
    const targets = createMemoryTargets();
    const withTargets = fixedTargets(targets);
    const logs = loggedRounds(20, { startMs: T0, prefix: "restore-", seed: 15 });
    await store.insertDecisions(logs.decisions);
    const first = await runLearning({ store, withTargets }, options(closingAt(20), { force: true }));
    expect(first.published?.policies).toEqual(["home"]);
    await publishRelease(targets, { models: [] });
    expect((await readCurrentManifest(targets.models))?.artifacts?.[BANDIT_ARTIFACT]).toBeUndefined();

    await store.insertDecisions([decision("restore-next", { ts: closingAt(20) })]);
    const second = await runLearning({ store, withTargets }, options(closingAt(21) + WINDOW_MS));
    expect(second.policies[0]!.gate.publish).toBe(false);
    expect(second.published?.policies).toEqual(["home"]);
    const entry = (await readCurrentManifest(targets.models))!.artifacts![BANDIT_ARTIFACT]!;
    const bundle = decodePolicyBundle((await targets.models.getBytes(entry.keys[0]!))!);
    // What was published before comes back, not the candidate the gate held back.
    expect(bundle.policies.home!.version).toBe(first.runId);
  });

  it("starts a policy afresh when its surface asks for another shape, and skips decisions that do not fit", async () => {
    const store = await freshStore();
    const targets = createMemoryTargets();
    const withTargets = fixedTargets(targets);
    await store.insertDecisions([decision("shape-1")]);
    await runLearning({ store, withTargets }, options(closingAt(1)));
    await publishRelease(targets, {
      models: [],
      surfaces: { home: { name: "home", bandit: { contextDims: 4, actionDims: 4 } } },
    });
    await store.insertDecisions([decision("shape-2", { ts: closingAt(1) })]);
    const report = await runLearning({ store, withTargets }, options(closingAt(1) + closingAt(1)));
    expect(report.policies[0]).toMatchObject({ reset: true, examples: 0, skipped: 1 });
    const row = (await store.policies())[0]!;
    expect([row.state.contextDims, row.state.actionDims]).toEqual([4, 4]);
    // The skipped decision's 7-value vectors fit 8 action dims, not 4.
    expect(() =>
      encodeCandidates(BanditConfig.parse({ actionDims: 4, contextDims: 4 }), {}, decision("x").actions),
    ).toThrow();
  });
});

/**
 * The learning loop end to end, as the deployed system runs it, on the simulator: the edge ranks with the
 * policy it last loaded and logs decisions; rewards come back; every `publishEvery` rounds the origin joins
 * what arrived, learns in batch, encodes the policy, and the edge decodes the new version. With
 * `online`, the edge also learns from each reward as it comes (per-isolate learning between publishes).
 * Regret is measured against the simulator's truth (expected clicks), so it is free of reward noise.
 */
import type { BanditConfigInput } from "../../models/bandit/config.ts";
import { BanditConfig } from "../../models/bandit/config.ts";
import { joinRewards } from "../../models/bandit/join-rewards.ts";
import { learnFromDecision, learnFromJoined } from "../../models/bandit/learn.ts";
import { createBanditPolicy } from "../../models/bandit/policy.ts";
import { decodeBanditPolicy, encodeBanditPolicy } from "../../models/bandit/policy-file.ts";
import { rankDecision } from "../../models/bandit/rank-decision.ts";
import type { DecisionRecord, RewardRecord } from "../../models/contracts/decision.ts";
import { mulberry32 } from "../../models/random.ts";
import { type BanditSimulator, bestBy } from "./bandit-simulator.ts";

export interface LoopOptions {
  seed: number;
  rounds: number;
  config: BanditConfigInput;
  publishEvery?: number;
  online?: boolean;
  /** Per-item scores of the fixed ranking to compare against (fixedRanking). */
  fixedScores: Float64Array;
}

export interface LoopResult {
  /** Expected clicks of what the bandit showed, per round. */
  bandit: Float64Array;
  /** Expected clicks of the best candidate by the fixed ranking, same users and candidates. */
  fixed: Float64Array;
  /** Expected clicks of the best candidate for the user (the optimum). */
  optimal: Float64Array;
  /** Clicks actually drawn for the bandit's choices (what it learned from). */
  clicks: number;
  decisions: DecisionRecord[];
  rewards: RewardRecord[];
  publishes: number;
}

const T0 = Date.UTC(2026, 10, 1);
const ROUND_MS = 1000;
const WINDOW_MS = 5 * ROUND_MS;

export function runBanditLoop(sim: BanditSimulator, options: LoopOptions): LoopResult {
  const rng = mulberry32(options.seed);
  const publishEvery = options.publishEvery ?? 100;
  const config = BanditConfig.parse(options.config);
  const origin = createBanditPolicy({ id: "home-bandit", version: "0", surface: sim.surface, config });
  let edge = decodeBanditPolicy(encodeBanditPolicy(origin));
  const result: LoopResult = {
    bandit: new Float64Array(options.rounds),
    fixed: new Float64Array(options.rounds),
    optimal: new Float64Array(options.rounds),
    clicks: 0,
    decisions: [],
    rewards: [],
    publishes: 0,
  };
  let pendingDecisions: DecisionRecord[] = [];
  let pendingRewards: unknown[] = [];
  for (let t = 0; t < options.rounds; t++) {
    const user = sim.sampleUser(rng, `user-${t}`);
    const candidates = sim.sampleCandidates(rng);
    const nowMs = T0 + t * ROUND_MS;
    const decision = rankDecision(edge, sim.rankRequest(user, candidates, 1), {
      decisionId: `d-${t}`,
      nowMs,
      rng,
      defaultK: 1,
      experiment: null,
    });
    const shown = Number(decision.ranking[0]!.action_id.slice("item-".length));
    const p = sim.clickProbability(user, shown);
    const click = rng() < p ? 1 : 0;
    result.bandit[t] = p;
    result.fixed[t] = sim.clickProbability(
      user,
      bestBy((i) => options.fixedScores[i]!, candidates),
    );
    result.optimal[t] = sim.clickProbability(
      user,
      bestBy((i) => sim.clickProbability(user, i), candidates),
    );
    result.clicks += click;
    const reward: RewardRecord = {
      decision_id: decision.decision_id,
      event_id: `r-${t}`,
      ts: nowMs + 300,
      reward: click,
    };
    result.decisions.push(decision);
    result.rewards.push(reward);
    pendingDecisions.push(decision);
    pendingRewards.push(reward);
    if (options.online) {
      learnFromDecision(edge.state, decision, [click], "online");
    }
    if ((t + 1) % publishEvery === 0) {
      const joined = joinRewards(pendingDecisions, pendingRewards, { windowMs: WINDOW_MS, now: nowMs });
      learnFromJoined(origin.state, joined.joined);
      pendingDecisions = joined.openDecisions;
      pendingRewards = joined.heldRewards;
      origin.version = String(++result.publishes);
      edge = decodeBanditPolicy(encodeBanditPolicy(origin));
    }
  }
  return result;
}

export function sum(values: Float64Array, from = 0, to = values.length): number {
  let s = 0;
  for (let i = from; i < to; i++) {
    s += values[i]!;
  }
  return s;
}

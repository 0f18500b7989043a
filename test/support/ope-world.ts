/**
 * A finite world for off-policy evaluation tests: a fixed population of users, each with a fixed
 * candidate set, drawn from the bandit simulator. Because the population is finite, a policy's true value
 * is an exact sum, Σ_users Σ_actions π(a | user) · P(click | user, a) / users, with nothing estimated.
 */
import { BanditConfig, type BanditConfigInput } from "../../models/bandit/config.ts";
import { joinRewards } from "../../models/bandit/join-rewards.ts";
import { accumulateExample, refreshLinearState } from "../../models/bandit/linear-state.ts";
import {
  type BanditPolicy,
  createBanditPolicy,
  encodeCandidates,
  topSlotDistribution,
} from "../../models/bandit/policy.ts";
import { rankDecision } from "../../models/bandit/rank-decision.ts";
import type { DecisionRecord, RewardRecord } from "../../models/contracts/decision.ts";
import { mulberry32 } from "../../models/random.ts";
import {
  type LoggedBanditData,
  loggedDataFromJoined,
} from "../../origin/learn/policy-evaluation/logged-data.ts";
import { type BanditSimulator, createSimulator, type SimUser } from "./bandit-simulator.ts";

export const OPE_DIMS = { contextDims: 16, actionDims: 8 } as const;

export interface OpeWorld {
  sim: BanditSimulator;
  users: SimUser[];
  candidates: Uint32Array[];
}

export function createOpeWorld(seed: number, users = 200): OpeWorld {
  const sim = createSimulator({ seed, candidates: 8 });
  const rng = mulberry32(seed + 1);
  const population = Array.from({ length: users }, (_, u) => sim.sampleUser(rng, `user-${u}`));
  return { sim, users: population, candidates: population.map(() => sim.sampleCandidates(rng)) };
}

/**
 * A policy whose model learned from `examples` uniformly random shows to fresh users of the same world;
 * with `avoidClicks` it learns from 1 − click, i.e. learns to show what users do not click.
 */
export function trainedPolicy(
  world: OpeWorld,
  id: string,
  config: BanditConfigInput,
  examples: number,
  seed: number,
  avoidClicks = false,
): BanditPolicy {
  const policy = createBanditPolicy({
    id,
    version: "1",
    surface: "home",
    config: BanditConfig.parse({ ...config, ...OPE_DIMS }),
  });
  const rng = mulberry32(seed);
  for (let e = 0; e < examples; e++) {
    const user = world.sim.sampleUser(rng, `train-${e}`);
    const offered = world.sim.sampleCandidates(rng);
    const encoded = encodeCandidates(
      policy.config,
      user.features,
      world.sim.rankRequest(user, offered, 1).actions,
    );
    const shown = Math.floor(rng() * offered.length);
    const click = rng() < world.sim.clickProbability(user, offered[shown]!) ? 1 : 0;
    accumulateExample(
      policy.state,
      encoded.context,
      encoded.actions,
      shown * policy.config.actionDims,
      avoidClicks ? 1 - click : click,
    );
  }
  refreshLinearState(policy.state);
  return policy;
}

/** The exact expected top-slot reward of `policy` over the population. */
export function trueValue(world: OpeWorld, policy: BanditPolicy): number {
  let value = 0;
  world.users.forEach((user, u) => {
    const offered = world.candidates[u]!;
    const request = world.sim.rankRequest(user, offered, 1);
    const pi = topSlotDistribution(
      policy,
      encodeCandidates(policy.config, user.features, request.actions),
      mulberry32(1),
    );
    offered.forEach((item, a) => {
      value += (pi[a]! * world.sim.clickProbability(user, item)) / world.users.length;
    });
  });
  return value;
}

const T0 = Date.UTC(2026, 10, 1);

/** `rounds` decisions of `logging` on users drawn uniformly from the population, with drawn clicks. */
export function logDecisions(
  world: OpeWorld,
  logging: BanditPolicy,
  rounds: number,
  seed: number,
): { decisions: DecisionRecord[]; rewards: RewardRecord[] } {
  const rng = mulberry32(seed);
  const decisions: DecisionRecord[] = [];
  const rewards: RewardRecord[] = [];
  for (let t = 0; t < rounds; t++) {
    const u = Math.floor(rng() * world.users.length);
    const user = world.users[u]!;
    const offered = world.candidates[u]!;
    const decision = rankDecision(logging, world.sim.rankRequest(user, offered, 1), {
      decisionId: `d-${seed}-${t}`,
      nowMs: T0 + t * 1000,
      rng,
      defaultK: 1,
      experiment: null,
    });
    const shown = offered[shownIndex(decision)]!;
    decisions.push(decision);
    if (rng() < world.sim.clickProbability(user, shown)) {
      rewards.push({
        decision_id: decision.decision_id,
        event_id: "click",
        ts: decision.ts + 500,
        reward: 1,
      });
    }
  }
  return { decisions, rewards };
}

function shownIndex(decision: DecisionRecord): number {
  return decision.actions.findIndex((a) => a.id === decision.ranking[0]!.action_id);
}

/** Logs → join (every window closed; no reward means the default 0) → arrays for evaluation. */
export function loggedData(logs: { decisions: DecisionRecord[]; rewards: RewardRecord[] }): LoggedBanditData {
  const last = logs.decisions[logs.decisions.length - 1]!.ts;
  const { joined } = joinRewards(logs.decisions, logs.rewards, { windowMs: 60_000, now: last + 60_000 });
  return loggedDataFromJoined(joined, OPE_DIMS).data;
}

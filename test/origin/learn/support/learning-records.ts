/** Valid decision and reward records for the learning store and run tests, from a seeded generator. */
import type { DecisionRecord, ExperimentRef, RewardRecord } from "../../../../models/contracts/index.ts";
import { mulberry32 } from "../../../../models/random.ts";

export const T0 = Date.UTC(2026, 10, 1);

export interface DecisionOptions {
  ts?: number;
  surface?: string;
  policyId?: string;
  version?: string;
  experiment?: ExperimentRef | null;
  /** Candidate actions (vectors of 7 values, the default bandit's 8 action dims less the bias). */
  actions?: number;
  slots?: number;
  seed?: number;
}

/** A uniform-random decision (propensity 1/remaining per slot) over seeded action vectors. */
export function decision(id: string, options: DecisionOptions = {}): DecisionRecord {
  const rng = mulberry32(options.seed ?? id.length * 7919 + id.charCodeAt(id.length - 1));
  const count = options.actions ?? 4;
  const slots = Math.min(options.slots ?? 1, count);
  const surface = options.surface ?? "home";
  return {
    decision_id: id,
    ts: options.ts ?? T0,
    surface,
    user_id: `user-${Math.floor(rng() * 100)}`,
    policy: {
      id: options.policyId ?? surface,
      version: options.version ?? "cold-start",
      algorithm: "epsilon-greedy",
    },
    experiment: options.experiment ?? null,
    context: { x1: Math.round(rng() * 100) / 100, segment: rng() < 0.5 ? "a" : "b" },
    actions: Array.from({ length: count }, (_, a) => ({
      id: `item-${a}`,
      vector: Array.from({ length: 7 }, () => Math.round((rng() * 2 - 1) * 1000) / 1000),
    })),
    ranking: Array.from({ length: slots }, (_, s) => ({
      action_id: `item-${s}`,
      propensity: 1 / (count - s),
    })),
  };
}

export function reward(
  decisionId: string,
  value: number,
  options: { eventId?: string; ts?: number } = {},
): RewardRecord {
  return {
    decision_id: decisionId,
    event_id: options.eventId ?? "default",
    ts: options.ts ?? T0 + 1_000,
    reward: value,
  };
}

/**
 * 40 decisions of experiment `experimentId` at T0 + i, alternating between its `control` and `treatment`
 * arms (policies home.control and home.treatment); the rewarded ones, every 4th decision of control's
 * and every 2nd of treatment's own; and their rewards, 1 each, a millisecond after the decision.
 */
export function experimentLogs(prefix: string, experimentId: string) {
  const arms = ["control", "treatment"];
  const decisions = Array.from({ length: 40 }, (_, i) =>
    decision(`${prefix}${i}`, {
      ts: T0 + i,
      policyId: `home.${arms[i % 2]}`,
      experiment: { id: experimentId, arm: arms[i % 2]! },
    }),
  );
  const rewarded = decisions.filter((_, i) => (i % 2 === 0 ? i % 8 === 0 : i % 4 === 1));
  const rewards = rewarded.map((d) => reward(d.decision_id, 1, { ts: d.ts + 1 }));
  return { decisions, rewarded, rewards };
}

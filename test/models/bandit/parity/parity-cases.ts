/**
 * Computations whose results must be bit-identical in Node and in workerd: the parity test runs this
 * module in both (bundled into a tiny Worker for workerd) and compares the JSON. Only shared models/ code
 * is used, with fixed seeds.
 */
import { BanditConfig } from "../../../../models/bandit/config.ts";
import { encodeContext } from "../../../../models/bandit/encode-features.ts";
import { joinRewards } from "../../../../models/bandit/join-rewards.ts";
import { learnFromJoined } from "../../../../models/bandit/learn.ts";
import { createBanditPolicy } from "../../../../models/bandit/policy.ts";
import { decodeBanditPolicy, encodeBanditPolicy } from "../../../../models/bandit/policy-file.ts";
import { rankDecision } from "../../../../models/bandit/rank-decision.ts";
import type { DecisionRecord } from "../../../../models/contracts/decision.ts";
import { assignmentBucket } from "../../../../models/experiments/assign-arm.ts";
import { fnv1a32 } from "../../../../models/hash/index.ts";
import { mulberry32 } from "../../../../models/random.ts";

const T0 = Date.UTC(2026, 10, 1);

export function parityCases(): unknown {
  const ids = ["user-1", "user-2", "Zoë", "ユーザー", "🙂", "x".repeat(128)];
  const out: Record<string, unknown> = {
    fnv: ids.map(fnv1a32),
    buckets: ids.map((id) => assignmentBucket("home-ranker-2026-11", id)),
    context: [...encodeContext({ x1: 0.25, segment: "b", mobile: true, città: "Milano" }, 16)],
  };
  for (const algorithm of ["softmax-ucb", "thompson", "epsilon-greedy"] as const) {
    const config = BanditConfig.parse({ algorithm, contextDims: 8, actionDims: 4 });
    const origin = createBanditPolicy({ id: `p-${algorithm}`, version: "1", surface: "home", config });
    const rng = mulberry32(7);
    const decisions: DecisionRecord[] = [];
    const rewards = [];
    for (let t = 0; t < 60; t++) {
      const edge = decodeBanditPolicy(encodeBanditPolicy(origin));
      const request = {
        context: { surface: "home", features: { x: rng() * 2 - 1, seg: rng() < 0.5 ? "a" : "b" } },
        actions: Array.from({ length: 5 }, (_, a) => ({ id: `a${a}`, vector: [rng(), rng() - 0.5, rng()] })),
        k: 3,
      };
      const decision = rankDecision(edge, request, {
        decisionId: `d${t}`,
        nowMs: T0 + t,
        rng,
        defaultK: 3,
        experiment: null,
      });
      decisions.push(decision);
      rewards.push({
        decision_id: decision.decision_id,
        event_id: "e",
        ts: T0 + t,
        reward: rng() < 0.4 ? 1 : 0,
      });
      if (t % 10 === 9) {
        learnFromJoined(
          origin.state,
          joinRewards(decisions.splice(0), rewards.splice(0), { windowMs: 0, now: T0 + t }).joined,
        );
      }
    }
    const last = decodeBanditPolicy(encodeBanditPolicy(origin));
    out[algorithm] = {
      theta: [...last.state.theta],
      ranking: rankDecision(
        last,
        {
          context: { surface: "home", features: { x: 0.1, seg: "a" } },
          actions: [0, 1, 2, 3].map((a) => ({ id: `a${a}`, vector: [a / 4, 0.5, 1 - a / 4] })),
          k: 4,
        },
        { decisionId: "final", nowMs: T0, rng: mulberry32(3), defaultK: 4, experiment: null },
      ).ranking,
    };
  }
  return out;
}

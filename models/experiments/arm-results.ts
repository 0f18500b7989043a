/**
 * Per-arm results from joined decisions: how many decisions each arm made and its mean top-slot reward
 * with a confidence interval. Wilson when every reward is 0 or 1 (click / no click: honest near 0 and
 * for small arms), the normal interval with the sample variance otherwise. Decisions closed with the
 * default reward count: an arm is judged on everything it showed, not only on what got feedback.
 */
import type { JoinedDecision } from "../bandit/join-rewards.ts";
import type { DecisionRecord } from "../contracts/decision.ts";
import { type MeanEstimate, normalMeanInterval, wilsonInterval } from "../stats/index.ts";

export interface ArmResult {
  arm: string;
  decisions: number;
  /** Decisions that received at least one reward before their window closed. */
  rewarded: number;
  reward: MeanEstimate;
}

/**
 * What per-arm results read of a joined decision: its arm, its top-slot reward and whether a reward
 * arrived. A JoinedDecision is one; the origin passes these few columns instead of whole decisions.
 */
export interface ArmOutcome extends Pick<JoinedDecision, "slotRewards" | "outcome"> {
  decision: Pick<DecisionRecord, "experiment">;
}

export interface ArmResultOptions {
  confidence?: number;
}

export function armResults(
  joined: readonly ArmOutcome[],
  experimentId: string,
  options: ArmResultOptions = {},
): ArmResult[] {
  const confidence = options.confidence ?? 0.95;
  const byArm = new Map<string, { values: number[]; rewarded: number }>();
  for (const { decision, slotRewards, outcome } of joined) {
    if (decision.experiment?.id !== experimentId) {
      continue;
    }
    let arm = byArm.get(decision.experiment.arm);
    if (arm === undefined) {
      arm = { values: [], rewarded: 0 };
      byArm.set(decision.experiment.arm, arm);
    }
    arm.values.push(slotRewards[0]!);
    arm.rewarded += outcome === "rewarded" ? 1 : 0;
  }
  return [...byArm.entries()]
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([arm, { values, rewarded }]) => {
      const binary = values.every((v) => v === 0 || v === 1);
      const successes = values.reduce((s, v) => s + v, 0);
      return {
        arm,
        decisions: values.length,
        rewarded,
        reward: binary
          ? wilsonInterval(successes, values.length, confidence)
          : normalMeanInterval(values, confidence),
      };
    });
}

/**
 * A GET /recommendations answer as a decision record: the pool the engine ranked (what could have been
 * shown) with the engine's score and source as action features, and the shown slots with their logging
 * propensities, so a reward for any shown item can be joined and other policies evaluated on the log.
 */
import {
  DECISION_LIMITS,
  type DecisionRecord,
  type ExperimentRef,
  type RecommendationExploration,
} from "../../models/contracts/index.ts";
import type { DecidedItem } from "../decision/index.ts";
import type { ExploredRanking } from "./exploration.ts";

export interface RecommendationRecordInput {
  decisionId: string;
  nowMs: number;
  surface: string;
  userId: string;
  policy: { id: string; version: string };
  experiment: ExperimentRef | null;
  exploration: RecommendationExploration;
  pool: readonly DecidedItem[];
  shown: ExploredRanking;
  coldStart: boolean;
  /** Whether the answer was degraded: the origin's dashboard shows the share of degraded answers. */
  degraded: boolean;
}

/** The record to log; null when nothing was shown (there is nothing to reward). */
export function recommendationRecord(input: RecommendationRecordInput): DecisionRecord | null {
  if (input.shown.items.length === 0) {
    return null;
  }
  return {
    decision_id: input.decisionId,
    ts: input.nowMs,
    surface: input.surface,
    user_id: input.userId,
    policy: {
      id: input.policy.id,
      version: input.policy.version,
      algorithm: input.exploration.strategy === "none" ? "none" : "epsilon-greedy",
    },
    experiment: input.experiment,
    // The engine's input is the user's embedding, versioned in the user's feature record; the context
    // says only whether it was used.
    context: { cold_start: input.coldStart, degraded: input.degraded },
    actions: input.pool.map((item) => ({
      id: item.item_id,
      features: { score: item.score, source: item.source },
    })),
    // A surface may show more slots than a decision can log; rewards can only name the logged ones.
    ranking: input.shown.items.slice(0, DECISION_LIMITS.slots).map((item, slot) => ({
      action_id: item.item_id,
      propensity: input.shown.propensities[slot]!,
    })),
  };
}

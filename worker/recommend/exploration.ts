/**
 * GET /recommendations as a loggable decision. With exploration "none" the engine's ranking is shown as it
 * is and each slot is logged with propensity 1. With "epsilon-greedy" the engine ranks a larger pool and
 * each slot keeps the engine's next best item with probability 1 − ε, otherwise a uniform pick among the
 * pool's remaining items (epsilonGreedyAroundRanking: exact propensities). Either way the decision record
 * lists the pool (what could have been shown) with the engine's score and source as action features, so a
 * reward for any shown item can be joined, and other policies evaluated on the log.
 */
import { epsilonGreedyAroundRanking } from "../../models/bandit/index.ts";
import {
  DECISION_LIMITS,
  type DecisionRecord,
  type ExperimentRef,
  type RecommendationExploration,
  type SurfaceConfig,
} from "../../models/contracts/index.ts";
import { fnv1a32 } from "../../models/hash/index.ts";
import { mulberry32 } from "../../models/random.ts";
import type { DecidedItem } from "../decision/index.ts";

/**
 * What to ask the engine for: the request's k (clamped as the engine clamps it) is what is shown; with
 * exploration the engine ranks a larger pool, so the surface given to it must allow that many.
 */
export function explorationPool(
  surface: SurfaceConfig,
  requestedK: number | undefined,
  exploration: RecommendationExploration,
): { shownK: number; engineK: number; surface: SurfaceConfig } {
  const shownK = Math.min(surface.k.max, Math.max(1, Math.floor(requestedK ?? surface.k.default)));
  if (exploration.strategy === "none") {
    return { shownK, engineK: shownK, surface };
  }
  const pool = Math.min(Math.max(shownK, exploration.pool), surface.candidates);
  return {
    shownK,
    engineK: pool,
    surface: { ...surface, k: { ...surface.k, max: Math.max(surface.k.max, pool) } },
  };
}

export interface ExploredRanking {
  /** What is shown, in order. */
  items: DecidedItem[];
  /** Per shown item: P(it in its slot | the slots above). */
  propensities: number[];
}

/** The k items to show from the engine's ranked pool (best first), seeded by the decision id. */
export function exploreRanking(
  pool: readonly DecidedItem[],
  k: number,
  exploration: RecommendationExploration,
  decisionId: string,
): ExploredRanking {
  if (exploration.strategy === "none") {
    const items = pool.slice(0, k);
    return { items, propensities: items.map(() => 1) };
  }
  const order = Uint32Array.from(pool, (_, i) => i);
  const slate = epsilonGreedyAroundRanking(order, k, exploration.epsilon, mulberry32(fnv1a32(decisionId)));
  return {
    items: Array.from(slate.order, (i) => pool[i]!),
    propensities: Array.from(slate.propensities),
  };
}

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
    context: { cold_start: input.coldStart },
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

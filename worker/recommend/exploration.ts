/**
 * Exploration around the engine's ranking. With exploration "none" the engine's ranking is shown as it is
 * and each slot is logged with propensity 1. With "epsilon-greedy" the engine ranks a larger pool and each
 * slot keeps the engine's next best item with probability 1 − ε, otherwise a uniform pick among the pool's
 * remaining items (epsilonGreedyAroundRanking: exact propensities, which decision-record.ts logs).
 */
import { epsilonGreedyAroundRanking } from "../../models/bandit/index.ts";
import type { RecommendationExploration, SurfaceConfig } from "../../models/contracts/index.ts";
import { fnv1a32 } from "../../models/hash/index.ts";
import { mulberry32 } from "../../models/random.ts";
import { clampK, type DecidedItem } from "../decision/index.ts";

/**
 * What to ask the engine for: the request's k (clamped by the engine's own clampK) is what is shown; with
 * exploration the engine ranks a larger pool, so the surface given to it must allow that many.
 */
export function explorationPool(
  surface: SurfaceConfig,
  requestedK: number | undefined,
  exploration: RecommendationExploration,
): { shownK: number; engineK: number; surface: SurfaceConfig } {
  const shownK = clampK(surface, requestedK);
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

/**
 * The recommendation step: iALS with hyper-parameters from a time-bounded search on an inner split of the
 * training part, evaluated on a held-out part of each user's items against the popularity baseline, then
 * refitted on everything for serving (the held-out items are real interactions the served model should know).
 * With too little data for a held-out evaluation to mean anything, it falls back to popularity alone.
 */
import { mulberry32 } from "../../../models/random.ts";
import { type BaselineScore, DEFAULT_BASELINE_MARGIN, judgeBaseline } from "../../release/index.ts";
import type { RankingMetrics } from "../evaluation/index.ts";
import {
  type CsrMatrix,
  evaluateRecommender,
  type IalsOptions,
  type MfModel,
  mfScorer,
  popularityScorer,
  splitPerUser,
  type TuningTrial,
  trainIals,
  trainPopularity,
  trainTrending,
  tuneOnInnerSplit,
} from "../recs/index.ts";

export interface RecsStepOptions {
  /** Cut-off of the ranking metrics. */
  k?: number;
  /** Share of each user's items held out for the reported metrics. */
  testFraction?: number;
  /** iALS candidates, tried in order until the budget runs out (at least one is always tried). */
  grid?: readonly IalsOptions[];
  tuneBudgetMs?: number;
  /** iALS iterations of the evaluated and served fits. */
  iterations?: number;
  /** Fewer distinct (user, item) pairs than this: popularity only. */
  minInteractions?: number;
  /** Fewer users with two or more items (the ones a held-out split can evaluate): popularity only. */
  minEvaluableUsers?: number;
  trendingHalfLifeSeconds?: number;
  seed?: number;
  /** BASELINE_MARGIN: the learned model serves only if it beats popularity on held-out data by this much. */
  baselineMargin?: number;
}

export const RECS_STEP_DEFAULTS = {
  k: 10,
  testFraction: 0.2,
  // Cheap candidates first, so a tight budget still tries the likeliest ones.
  grid: [16, 32].flatMap((factors) =>
    [1, 10].flatMap((lambda) => [3, 10].map((alpha) => ({ factors, lambda, alpha, iterations: 8 }))),
  ),
  tuneBudgetMs: 20_000,
  iterations: 15,
  minInteractions: 200,
  minEvaluableUsers: 20,
  trendingHalfLifeSeconds: 7 * 86_400,
  seed: 1,
  baselineMargin: DEFAULT_BASELINE_MARGIN,
} as const;

export interface RecsStepResult {
  kind: "mf" | "popularity";
  mf: MfModel | null;
  params: IalsOptions | null;
  /** Distinct users per item, over all the data. */
  popularity: Float32Array;
  trending: Float32Array;
  /** Held-out metrics of the kind served (`ndcg@10`, …) and the popularity baseline's (`popularity_ndcg@10`, …). */
  metrics: Record<string, number>;
  trials: TuningTrial<IalsOptions>[];
  /** The learned model refused against popularity (the release then serves popularity): what it scored. */
  refused: { kind: "mf"; metrics: Record<string, number>; reason: string } | null;
  /** Popularity's held-out headline metric, the baseline the learned model had to beat. */
  baseline: BaselineScore | null;
  notes: string[];
}

function metricsRecord(m: RankingMetrics, prefix = ""): Record<string, number> {
  return {
    [`${prefix}ndcg@${m.k}`]: m.ndcg,
    [`${prefix}precision@${m.k}`]: m.precision,
    [`${prefix}recall@${m.k}`]: m.recall,
    [`${prefix}map@${m.k}`]: m.map,
    [`${prefix}coverage@${m.k}`]: m.coverage,
  };
}

function evaluableUsers(m: CsrMatrix): number {
  let users = 0;
  for (let u = 0; u < m.rows; u++) {
    users += m.offsets[u + 1]! - m.offsets[u]! >= 2 ? 1 : 0;
  }
  return users;
}

export function trainRecommender(
  matrix: CsrMatrix,
  events: { item: Int32Array; tsMs: Float64Array },
  nowMs: number,
  options: RecsStepOptions = {},
): RecsStepResult {
  const o = { ...RECS_STEP_DEFAULTS, ...options };
  const popularity = trainPopularity(matrix);
  const trending = trendingScores(matrix.cols, events, nowMs, o.trendingHalfLifeSeconds);
  const pairs = matrix.indices.length;
  const evaluable = evaluableUsers(matrix);
  const notes: string[] = [];
  const split = evaluable > 0 ? splitPerUser(matrix, o.testFraction, mulberry32(o.seed)) : null;
  const popularityMetrics = split
    ? evaluateRecommender(popularityScorer(trainPopularity(split.train)), split.train, split.test, o.k)
    : null;
  const baseline = popularityMetrics ? metricsRecord(popularityMetrics, "popularity_") : {};

  if (split === null || pairs < o.minInteractions || evaluable < o.minEvaluableUsers) {
    notes.push(
      `recs: popularity only: ${pairs} user-item pairs and ${evaluable} users with two or more items ` +
        `(iALS needs ${o.minInteractions} and ${o.minEvaluableUsers})`,
    );
    return {
      kind: "popularity",
      mf: null,
      params: null,
      popularity,
      trending,
      metrics: popularityMetrics ? { ...metricsRecord(popularityMetrics), ...baseline } : {},
      trials: [],
      refused: null,
      baseline: null,
      notes,
    };
  }

  const { best, trials } = tuneWithinBudget(split.train, o.grid, o.tuneBudgetMs, o.k, o.seed);
  if (trials.length < o.grid.length) {
    notes.push(
      `recs: tuning budget of ${o.tuneBudgetMs} ms tried ${trials.length} of ${o.grid.length} candidates`,
    );
  }
  const params = { ...best, iterations: o.iterations, seed: o.seed };
  const heldOut = evaluateRecommender(mfScorer(trainIals(split.train, params)), split.train, split.test, o.k);
  const metrics = { ...metricsRecord(heldOut), ...baseline, users_evaluated: heldOut.users };
  const popularityScore = { name: "popularity", value: popularityMetrics!.ndcg };
  const verdict = judgeBaseline(`ndcg@${o.k}`, heldOut.ndcg, popularityScore, o.baselineMargin);
  if (!verdict.beats) {
    notes.push(`recs: iALS refused, popularity serves: ${verdict.reason}`);
    return {
      kind: "popularity",
      mf: null,
      params,
      popularity,
      trending,
      metrics: { ...metricsRecord(popularityMetrics!), ...baseline },
      trials,
      refused: { kind: "mf", metrics, reason: verdict.reason },
      baseline: popularityScore,
      notes,
    };
  }
  const mf = trainIals(matrix, params);
  return {
    kind: "mf",
    mf,
    params,
    popularity,
    trending,
    metrics,
    trials,
    refused: null,
    baseline: popularityScore,
    notes,
  };
}

/** tuneOnInnerSplit one candidate at a time (the same seeded inner split each time), until the budget is spent. */
function tuneWithinBudget(
  train: CsrMatrix,
  grid: readonly IalsOptions[],
  budgetMs: number,
  k: number,
  seed: number,
): { best: IalsOptions; trials: TuningTrial<IalsOptions>[] } {
  const started = performance.now();
  const trials: TuningTrial<IalsOptions>[] = [];
  for (const candidate of grid) {
    if (trials.length > 0 && performance.now() - started > budgetMs) {
      break;
    }
    const fit = (m: CsrMatrix, params: IalsOptions) => mfScorer(trainIals(m, { ...params, seed }));
    trials.push(...tuneOnInnerSplit(train, [candidate], fit, { k, seed: seed + 6 }).trials);
  }
  const best = trials.reduce((a, b) => (b.metrics.ndcg > a.metrics.ndcg ? b : a));
  return { best: best.params, trials };
}

function trendingScores(
  items: number,
  events: { item: Int32Array; tsMs: Float64Array },
  nowMs: number,
  halfLifeSeconds: number,
): Float32Array {
  let n = 0;
  for (let e = 0; e < events.item.length; e++) {
    n += events.item[e]! >= 0 ? 1 : 0;
  }
  const item = new Int32Array(n);
  const tsSeconds = new Float64Array(n);
  let t = 0;
  for (let e = 0; e < events.item.length; e++) {
    if (events.item[e]! >= 0) {
      item[t] = events.item[e]!;
      tsSeconds[t++] = events.tsMs[e]! / 1000;
    }
  }
  return trainTrending(items, item, tsSeconds, { halfLifeSeconds, nowSeconds: nowMs / 1000 });
}

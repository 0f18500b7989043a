/**
 * The recommendation step: popularity and trending for cold start, then the one recommender path
 * (origin/train/recs/select-recommender.ts, the same function `edgewise eval recs` runs): deterministic
 * tuning of iALS (confidence transform, α, λ, factors) and EASE on a validation split of every stored pair,
 * the winner fitted once on all of them. It is served only if it beats popularity on the validation rows
 * by BASELINE_MARGIN; otherwise the catalogue carries popularity alone and the refusal is recorded. With too
 * little data for a held-out evaluation to mean anything, popularity alone, and the notes say why.
 */
import { mulberry32 } from "../../../models/random.ts";
import { type BaselineScore, DEFAULT_BASELINE_MARGIN, judgeBaseline } from "../../release/index.ts";
import type { RankingMetrics } from "../evaluation/index.ts";
import {
  type CsrMatrix,
  describeCandidate,
  evaluateRecommender,
  type MfModel,
  type PairData,
  popularityScorer,
  type RecsCandidate,
  type RecsConfig,
  type RecsTrial,
  selectRecommender,
  splitPerUser,
  trainPopularity,
  trainTrending,
} from "../recs/index.ts";
import type { InteractionLog } from "./read-interactions.ts";

export interface RecsStepOptions extends Partial<RecsConfig> {
  /** Fewer distinct (user, item) pairs than this: popularity only. */
  minInteractions?: number;
  /** Fewer users with two or more items (the ones a held-out split can evaluate): popularity only. */
  minEvaluableUsers?: number;
  trendingHalfLifeSeconds?: number;
  /** BASELINE_MARGIN: the learned model serves only if it beats popularity on held-out data by this much. */
  baselineMargin?: number;
}

export const RECS_STEP_DEFAULTS = {
  minInteractions: 200,
  minEvaluableUsers: 20,
  trendingHalfLifeSeconds: 7 * 86_400,
  baselineMargin: DEFAULT_BASELINE_MARGIN,
} as const;

/** What a run hands its recommender step: the window's pairs and events, and the window's end as "now". */
export interface RecommenderInput {
  pairs: PairData;
  log: InteractionLog;
  nowMs: number;
  /** The training window read: events at or after `sinceMs` (when set) and before `untilMs`. */
  window: { sinceMs?: number; untilMs: number };
}

/**
 * The step that gives a run its recommender: by default this module's tuning and fit (`fittedRecommender`);
 * `edgewise import-factors` passes one that serves factors fitted elsewhere. Everything after it (the
 * catalogue, user features, registry candidates, the gate and the publish) is the same for both.
 */
export type RecommenderStep = (input: RecommenderInput) => RecsStepResult | Promise<RecsStepResult>;

export function fittedRecommender(options: RecsStepOptions = {}): RecommenderStep {
  return ({ pairs, log, nowMs }) => trainRecommender(pairs, log, nowMs, options);
}

export interface RecsStepResult {
  kind: "mf" | "ease" | "popularity";
  /** The served user and item vectors (iALS factors, or EASE factorised); null when popularity serves. */
  mf: MfModel | null;
  candidate: RecsCandidate | null;
  /** Where the served vectors came from, for the registry notes when no tuned candidate describes them. */
  source?: string;
  /** Distinct users per item, over all the data. */
  popularity: Float32Array;
  trending: Float32Array;
  /** Validation metrics of the kind served (`ndcg@10`, …), popularity's (`popularity_ndcg@10`, …), timings. */
  metrics: Record<string, number>;
  trials: RecsTrial[];
  /** The learned model refused against popularity (the release then serves popularity): what it scored. */
  refused: { kind: "mf" | "ease"; metrics: Record<string, number>; reason: string } | null;
  /** Popularity's held-out headline metric, the baseline the learned model had to beat. */
  baseline: BaselineScore | null;
  notes: string[];
}

export function metricsRecord(m: RankingMetrics, prefix = ""): Record<string, number> {
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
  pairs: PairData,
  events: { item: Int32Array; tsMs: Float64Array },
  nowMs: number,
  options: RecsStepOptions = {},
): RecsStepResult {
  const o = { ...RECS_STEP_DEFAULTS, ...options };
  const matrix = pairs.weights;
  const { popularity, trending } = coldStartScores(matrix, events, nowMs, o.trendingHalfLifeSeconds);
  const pairCount = matrix.indices.length;
  const evaluable = evaluableUsers(matrix);
  const notes: string[] = [];
  const popularityOnly = (reason: string): RecsStepResult => {
    notes.push(reason);
    // Still measured on a held-out split when there is one, so the registry shows what popularity does.
    const split = evaluable > 0 ? splitPerUser(matrix, 0.2, mulberry32((o.seed ?? 1) + 7)) : null;
    const metrics = split
      ? metricsRecord(
          evaluateRecommender(
            popularityScorer(trainPopularity(split.train)),
            split.train,
            split.test,
            o.k ?? 10,
          ),
        )
      : {};
    return {
      kind: "popularity",
      mf: null,
      candidate: null,
      popularity,
      trending,
      metrics,
      trials: [],
      refused: null,
      baseline: null,
      notes,
    };
  };
  if (pairCount < o.minInteractions || evaluable < o.minEvaluableUsers) {
    return popularityOnly(
      `recs: popularity only: ${pairCount} user-item pairs and ${evaluable} users with two or more items ` +
        `(a learned model needs ${o.minInteractions} and ${o.minEvaluableUsers})`,
    );
  }
  const selected = selectRecommender(pairs, options);
  const k = selected.validation.model.k;
  const metrics = {
    ...metricsRecord(selected.validation.model),
    ...metricsRecord(selected.validation.popularity, "popularity_"),
    users_evaluated: selected.validation.model.users,
    tuned_users: selected.tunedUsers,
    tuning_fits: selected.trials.length,
    tune_seconds: selected.tuneSeconds,
    fit_seconds: selected.fitSeconds,
  };
  const kind = selected.candidate.model === "ease" ? "ease" : "mf";
  const baseline = { name: "popularity", value: selected.validation.popularity.ndcg };
  const verdict = judgeBaseline(`ndcg@${k}`, selected.validation.model.ndcg, baseline, o.baselineMargin);
  notes.push(
    `recs: ${describeCandidate(selected.candidate)} chosen from ${selected.trials.length} tuning fits on ` +
      `${selected.tunedUsers} users (${selected.tuneSeconds.toFixed(1)} s tuning, ${selected.fitSeconds.toFixed(1)} s final fit)`,
  );
  if (!verdict.beats) {
    notes.push(`recs: ${kind} refused, popularity serves: ${verdict.reason}`);
    return {
      kind: "popularity",
      mf: null,
      candidate: selected.candidate,
      popularity,
      trending,
      metrics: metricsRecord(selected.validation.popularity),
      trials: selected.trials,
      refused: { kind, metrics, reason: verdict.reason },
      baseline,
      notes,
    };
  }
  return {
    kind,
    mf: selected.model,
    candidate: selected.candidate,
    popularity,
    trending,
    metrics,
    trials: selected.trials,
    refused: null,
    baseline,
    notes,
  };
}

/** Popularity (distinct users per item) and trending (decayed recent events): the cold-start lists. */
export function coldStartScores(
  matrix: CsrMatrix,
  events: { item: Int32Array; tsMs: Float64Array },
  nowMs: number,
  halfLifeSeconds: number = RECS_STEP_DEFAULTS.trendingHalfLifeSeconds,
): { popularity: Float32Array; trending: Float32Array } {
  return {
    popularity: trainPopularity(matrix),
    trending: trendingScores(matrix.cols, events, nowMs, halfLifeSeconds),
  };
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

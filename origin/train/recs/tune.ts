import { mulberry32 } from "../../../models/random.ts";
import type { RankingMetrics } from "../evaluation/index.ts";
import type { CsrMatrix } from "./csr.ts";
import { evaluateRecommender, type UserScorer } from "./recommender.ts";
import { splitPerUser } from "./split.ts";

export interface TuningOptions {
  /** share of each user's training items held out for validation */
  validationFraction?: number;
  seed?: number;
  k?: number;
}

export interface TuningTrial<P> {
  params: P;
  metrics: RankingMetrics;
  trainSeconds: number;
}

export interface TuningResult<P> {
  best: P;
  trials: TuningTrial<P>[];
}

/**
 * Grid search on an inner split of the TRAINING data only: each candidate is fitted on the inner-train part
 * and ranked by nDCG@k on the inner-validation part. The caller refits the winner on all training data; the
 * outer test split is never seen here, so reported test figures are not tuned on.
 */
export function tuneOnInnerSplit<P>(
  train: CsrMatrix,
  candidates: readonly P[],
  fitCandidate: (m: CsrMatrix, params: P) => UserScorer,
  options: TuningOptions = {},
): TuningResult<P> {
  if (candidates.length === 0) {
    throw new Error("tuneOnInnerSplit: no candidates");
  }
  const k = options.k ?? 10;
  const inner = splitPerUser(train, options.validationFraction ?? 0.2, mulberry32(options.seed ?? 7));
  const trials: TuningTrial<P>[] = [];
  let best: P = candidates[0] as P;
  let bestNdcg = Number.NEGATIVE_INFINITY;
  for (const params of candidates) {
    const started = performance.now();
    const scorer = fitCandidate(inner.train, params);
    const trainSeconds = (performance.now() - started) / 1000;
    const metrics = evaluateRecommender(scorer, inner.train, inner.test, k);
    trials.push({ params, metrics, trainSeconds });
    if (metrics.ndcg > bestNdcg) {
      bestNdcg = metrics.ndcg;
      best = params;
    }
  }
  return { best, trials };
}

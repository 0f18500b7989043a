/**
 * The one recommender path: the pipeline's recommendation step and `edgewise eval recs` both call
 * `selectRecommender` with the same configuration, so the figure `eval recs` prints is the served model's.
 *
 * 1. Tuning, deterministic: candidates (iALS over confidence transform × α, then λ, then factors; EASE over
 *    λ) are tried in a fixed order on a seeded per-user validation split of the training data, within a
 *    budget counted in fits, never in seconds, so the same data and seed choose the same model on any
 *    machine at any load. Past `tuneSampleUsers` users, tuning runs on a seeded sample of them.
 * 2. The winner is fitted once on all the training data.
 * Every candidate is scored as the edge scores it (served-scorer.ts: int8 vectors, seen items removed,
 * every catalogue item a candidate), against popularity on the same validation rows.
 */
import { mulberry32 } from "../../../models/random.ts";
import type { RankingMetrics } from "../evaluation/index.ts";
import {
  CONFIDENCE_KINDS,
  type ConfidenceKind,
  type PairData,
  selectUsers,
  splitPairs,
  withConfidence,
} from "./confidence.ts";
import { trainEase } from "./ease.ts";
import { factoriseEase } from "./ease-factors.ts";
import { type MfModel, trainIals } from "./ials.ts";
import { trainPopularity } from "./popularity.ts";
import { evaluateRecommender, popularityScorer } from "./recommender.ts";
import { servedScorer } from "./served-scorer.ts";

export type RecsCandidate =
  | { model: "ials"; confidence: ConfidenceKind; factors: number; lambda: number; alpha: number }
  | { model: "ease"; lambda: number; rank: number };

export interface RecsConfig {
  k: number;
  /** Share of each user's training items held out for validation. */
  validationFraction: number;
  /** Stage 1: every confidence transform × these α, at the first of `factors` and `lambdas`. */
  confidences: readonly ConfidenceKind[];
  alphas: readonly number[];
  /** Stage 2: λ for the stage-1 winner. */
  lambdas: readonly number[];
  /** Stage 3: factor counts for the stage-2 winner. */
  factors: readonly number[];
  /** Stage 4: EASE's λ (empty: no EASE); its item table is factorised to `easeRank` values for the edge. */
  easeLambdas: readonly number[];
  easeRank: number;
  /** Most items EASE's dense solve covers (its cost grows with the cube). */
  easeMaxItems: number;
  /** iALS iterations of each tuning fit and of the final fit. */
  tuneIterations: number;
  iterations: number;
  /** The tuning budget in candidate fits, tried in the order above (at least one). */
  tuneBudgetFits: number;
  /** Past this many users, tune on a seeded sample of this many. */
  tuneSampleUsers: number;
  /** worker_threads for iALS; the factors are the same byte for byte whatever the count. */
  threads: number;
  seed: number;
}

export const RECS_DEFAULTS: RecsConfig = {
  k: 10,
  validationFraction: 0.2,
  confidences: CONFIDENCE_KINDS,
  alphas: [1, 5, 20],
  lambdas: [3, 0.3, 30],
  factors: [32, 64, 128],
  easeLambdas: [200, 1000, 5000],
  easeRank: 64,
  easeMaxItems: 2000,
  tuneIterations: 8,
  iterations: 15,
  tuneBudgetFits: 16,
  tuneSampleUsers: 20_000,
  threads: 1,
  seed: 1,
};

export interface RecsTrial {
  candidate: RecsCandidate;
  metrics: RankingMetrics;
  fitSeconds: number;
}

export interface SelectedRecommender {
  candidate: RecsCandidate;
  /** The winner fitted on all the training data: what the catalogue and user features are built from. */
  model: MfModel;
  trials: RecsTrial[];
  /** The winner's and popularity's metrics on the validation rows. */
  validation: { model: RankingMetrics; popularity: RankingMetrics };
  /** Users tuning ran on (all of them below `tuneSampleUsers`). */
  tunedUsers: number;
  tuneSeconds: number;
  fitSeconds: number;
}

export function describeCandidate(c: RecsCandidate): string {
  return c.model === "ials"
    ? `iALS ${c.confidence} confidence, ${c.factors} factors, λ ${c.lambda}, α ${c.alpha}`
    : `EASE λ ${c.lambda}, rank ${c.rank}`;
}

/** Fits one candidate on `pairs`: its user and item vectors as the edge will score them. */
export function fitCandidate(
  pairs: PairData,
  c: RecsCandidate,
  config: RecsConfig,
  iterations: number,
): MfModel {
  if (c.model === "ials") {
    return trainIals(withConfidence(pairs, c.confidence), {
      factors: c.factors,
      lambda: c.lambda,
      alpha: c.alpha,
      iterations,
      seed: config.seed,
      threads: config.threads,
    });
  }
  const binary = withConfidence(pairs, "binary");
  const ease = trainEase(binary, { lambda: c.lambda, maxItems: config.easeMaxItems });
  return factoriseEase(ease, binary, { rank: c.rank, seed: config.seed });
}

/** A seeded sample of `size` users (ascending), or null when there are no more than that. */
function sampleUsers(rows: number, size: number, seed: number): Int32Array | null {
  if (rows <= size) {
    return null;
  }
  const order = Int32Array.from({ length: rows }, (_, i) => i);
  const rng = mulberry32(seed);
  for (let t = 0; t < size; t++) {
    const j = t + Math.floor(rng() * (rows - t));
    const tmp = order[t]!;
    order[t] = order[j]!;
    order[j] = tmp;
  }
  return order.subarray(0, size).sort();
}

export function selectRecommender(pairs: PairData, options: Partial<RecsConfig> = {}): SelectedRecommender {
  const config = { ...RECS_DEFAULTS, ...options };
  const tuneStarted = performance.now();
  const sample = sampleUsers(pairs.weights.rows, config.tuneSampleUsers, config.seed + 11);
  const tuning = sample ? selectUsers(pairs, sample) : pairs;
  const { train, test } = splitPairs(tuning, config.validationFraction, config.seed + 7);
  const popularity = trainPopularity(train.weights);
  const popularityMetrics = evaluateRecommender(
    popularityScorer(popularity),
    train.weights,
    test.weights,
    config.k,
  );
  const trials: RecsTrial[] = [];
  let budget = Math.max(1, config.tuneBudgetFits);
  const tried = new Set<string>();
  const attempt = (candidate: RecsCandidate): void => {
    const key = JSON.stringify(candidate);
    if (budget === 0 || tried.has(key)) {
      return;
    }
    tried.add(key);
    budget--;
    const started = performance.now();
    const model = fitCandidate(train, candidate, config, config.tuneIterations);
    const fitSeconds = (performance.now() - started) / 1000;
    const metrics = evaluateRecommender(
      servedScorer(model, popularity),
      train.weights,
      test.weights,
      config.k,
    );
    trials.push({ candidate, metrics, fitSeconds });
  };
  // Ties keep the earlier (cheaper) candidate, so the choice never depends on anything but the order.
  const best = (filter: (c: RecsCandidate) => boolean) =>
    trials
      .filter((t) => filter(t.candidate))
      .reduce<RecsTrial | null>((a, b) => (a === null || b.metrics.ndcg > a.metrics.ndcg ? b : a), null);
  const isIals = (c: RecsCandidate) => c.model === "ials";
  const base = { model: "ials" as const, factors: config.factors[0]!, lambda: config.lambdas[0]! };
  for (const confidence of config.confidences) {
    for (const alpha of config.alphas) {
      attempt({ ...base, confidence, alpha });
    }
  }
  const stage1 = best(isIals)!.candidate;
  for (const lambda of config.lambdas) {
    attempt({ ...stage1, lambda } as RecsCandidate);
  }
  const stage2 = best(isIals)!.candidate;
  for (const factors of config.factors) {
    attempt({ ...stage2, factors } as RecsCandidate);
  }
  for (const lambda of config.easeLambdas) {
    attempt({ model: "ease", lambda, rank: config.easeRank });
  }
  const winner = best(() => true)!;
  const tuneSeconds = (performance.now() - tuneStarted) / 1000;
  const fitStarted = performance.now();
  const model = fitCandidate(pairs, winner.candidate, config, config.iterations);
  return {
    candidate: winner.candidate,
    model,
    trials,
    validation: { model: winner.metrics, popularity: popularityMetrics },
    tunedUsers: tuning.weights.rows,
    tuneSeconds,
    fitSeconds: (performance.now() - fitStarted) / 1000,
  };
}

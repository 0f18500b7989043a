import type { RankingMetrics } from "../evaluation/index.ts";
import type { CsrMatrix } from "./csr.ts";
import { type EaseModel, trainEase } from "./ease.ts";
import { type IalsOptions, type MfModel, trainIals } from "./ials.ts";
import {
  easeMatrixScorer,
  easeScoresWithOnnx,
  exportEase,
  exportMf,
  matrixScorer,
  mfScoresWithOnnx,
} from "./onnx-recs.ts";
import { trainPopularity, trainTrending } from "./popularity.ts";
import {
  easeScorer,
  evaluateRecommender,
  mfScorer,
  popularityScorer,
  type UserScorer,
} from "./recommender.ts";
import { type TuningTrial, tuneOnInnerSplit } from "./tune.ts";

export interface RecsEvaluationOptions {
  k?: number;
  /** EASE λ candidates, chosen on the inner split */
  easeLambdas?: readonly number[];
  /** iALS stage 1 candidates (λ, α at a small factor count), chosen on the inner split */
  mfGrid?: readonly IalsOptions[];
  /** iALS factor counts tried in stage 2 with the stage-1 winner */
  mfFactors?: readonly number[];
  /** iterations of the final iALS fit */
  mfIterations?: number;
  /** half-life of the trending baseline */
  trendingHalfLifeSeconds?: number;
}

export const RECS_EVALUATION_DEFAULTS = {
  k: 10,
  easeLambdas: [100, 300, 1000],
  mfGrid: [3, 10, 30].flatMap((lambda) =>
    [1, 3, 10].map((alpha) => ({ factors: 32, lambda, alpha, iterations: 10 })),
  ),
  mfFactors: [32, 64],
  mfIterations: 15,
  trendingHalfLifeSeconds: 180 * 86_400,
} as const;

export interface RecsModelReport {
  name: string;
  params: Record<string, number>;
  trainSeconds: number;
  /** onnxruntime-web on the float32 export (or TypeScript for models without weights) */
  float32: RankingMetrics;
  /** onnxruntime-web on the int8 export; absent for models without weights */
  int8?: RankingMetrics;
}

export interface RecsEvaluation {
  k: number;
  models: RecsModelReport[];
  tuneSeconds: { ease: number; mf: number };
  easeTrials: TuningTrial<number>[];
  mfTrials: TuningTrial<IalsOptions>[];
  ease: EaseModel;
  mf: MfModel;
}

/**
 * The whole recommendation comparison on one train/test pair (same user and item indices, seen items
 * removed): popularity, trending (when event times are given), EASE and iALS, each tuned on an inner split
 * of `train` only, then refitted on all of `train`; EASE and iALS are exported to ONNX and evaluated through
 * onnxruntime-web in float32 and int8. Shared by `bench:quality` and `edgewise eval recs`.
 */
export async function trainAndEvaluateRecs(
  train: CsrMatrix,
  test: CsrMatrix,
  trainEvents: { item: Int32Array; tsSeconds: Float64Array } | undefined,
  options: RecsEvaluationOptions = {},
): Promise<RecsEvaluation> {
  const o = { ...RECS_EVALUATION_DEFAULTS, ...options };
  const evaluate = (scorer: UserScorer) => evaluateRecommender(scorer, train, test, o.k);
  const timed = <T>(fn: () => T): [T, number] => {
    const started = performance.now();
    const value = fn();
    return [value, (performance.now() - started) / 1000];
  };
  const models: RecsModelReport[] = [];

  const [popularity, popSeconds] = timed(() => trainPopularity(train));
  const pop = popularityScorer(popularity);
  models.push({ name: "popularity", params: {}, trainSeconds: popSeconds, float32: evaluate(pop) });

  if (trainEvents?.tsSeconds.some((t) => Number.isFinite(t))) {
    const [trending, seconds] = timed(() =>
      trainTrending(train.cols, trainEvents.item, trainEvents.tsSeconds, {
        halfLifeSeconds: o.trendingHalfLifeSeconds,
      }),
    );
    models.push({
      name: "trending",
      params: { halfLifeDays: o.trendingHalfLifeSeconds / 86_400 },
      trainSeconds: seconds,
      float32: evaluate(popularityScorer(trending)),
    });
  }

  const [easeTuning, easeTuneSeconds] = timed(() =>
    tuneOnInnerSplit(train, o.easeLambdas, (m, lambda) => easeScorer(trainEase(m, { lambda }), pop), {
      k: o.k,
    }),
  );
  const [ease, easeSeconds] = timed(() => trainEase(train, { lambda: easeTuning.best }));
  const easeF32 = await easeScoresWithOnnx(exportEase(ease, "float32"), ease, train);
  const easeI8 = await easeScoresWithOnnx(exportEase(ease, "int8"), ease, train);
  models.push({
    name: "ease",
    params: { lambda: ease.lambda, headItems: ease.items.length },
    trainSeconds: easeSeconds,
    float32: evaluate(easeMatrixScorer(ease, easeF32, pop)),
    int8: evaluate(easeMatrixScorer(ease, easeI8, pop)),
  });

  const fitMf = (m: CsrMatrix, params: IalsOptions) => mfScorer(trainIals(m, params));
  const [stages, mfTuneSeconds] = timed(() => {
    const stage1 = tuneOnInnerSplit(train, o.mfGrid, fitMf, { k: o.k });
    const stage2 = tuneOnInnerSplit(
      train,
      o.mfFactors.map((factors) => ({ ...stage1.best, factors })),
      fitMf,
      { k: o.k },
    );
    return { best: stage2.best, trials: [...stage1.trials, ...stage2.trials] };
  });
  const mfOptions = { ...stages.best, iterations: o.mfIterations };
  const [mf, mfSeconds] = timed(() => trainIals(train, mfOptions));
  const mfF32 = await mfScoresWithOnnx(exportMf(mf, "float32"), mf);
  const mfI8 = await mfScoresWithOnnx(exportMf(mf, "int8"), mf);
  models.push({
    name: "ials",
    params: {
      factors: mf.factors,
      lambda: mfOptions.lambda ?? 0,
      alpha: mfOptions.alpha ?? 0,
      iterations: mfOptions.iterations,
    },
    trainSeconds: mfSeconds,
    float32: evaluate(matrixScorer(mfF32, train.cols)),
    int8: evaluate(matrixScorer(mfI8, train.cols)),
  });

  return {
    k: o.k,
    models,
    tuneSeconds: { ease: easeTuneSeconds, mf: mfTuneSeconds },
    easeTrials: easeTuning.trials,
    mfTrials: stages.trials,
    ease,
    mf,
  };
}

import type { ContentVectors, WeightChoice } from "../../../../models/contracts/index.ts";
import { mulberry32, shuffleInPlace } from "../../../../models/random.ts";
import { ndcgAtK } from "../../evaluation/index.ts";
import { type CsrMatrix, columnCounts, topK } from "../../recs/index.ts";
import { applyRidgeMap, ridgeStatistics, solveRidgeMap, type VectorBlock } from "./ridge-map.ts";
import { gridStep, simplexGrid } from "./weight-grid.ts";

export interface ColdStartOptions {
  /** share of the items with interactions held out to choose the weights on */
  heldOutShare: number;
  maxHeldOut: number;
  /** fewer held-out items, or fewer users who touched them, and the defaults are used unmeasured */
  minHeldOut: number;
  minUsers: number;
  /** users sampled for the measure */
  maxUsers: number;
  k: number;
  lambdas: readonly number[];
  /** popularity-prior weights tried (see the manifest's coldStart.popularityPrior) */
  priors: readonly number[];
  /** used unmeasured when the data is too thin */
  defaultLambda: number;
  seed: number;
}

export const COLD_START_DEFAULTS: ColdStartOptions = {
  heldOutShare: 0.2,
  maxHeldOut: 1000,
  minHeldOut: 10,
  minUsers: 10,
  maxUsers: 2000,
  k: 10,
  lambdas: [0.3, 3, 30],
  priors: [0, 0.03, 0.1, 0.2, 0.4],
  defaultLambda: 3,
  seed: 1,
};

export interface RecommenderFactors {
  itemFactors: Float32Array;
  userFactors: Float32Array;
  factors: number;
}

export interface ColdStartMap {
  /** the content blocks' weights, in block order */
  weights: number[];
  /** items with no interaction (the ones the recommender has not seen) and their [items × factors] rows */
  items: Int32Array;
  vectors: Float32Array;
  spec: NonNullable<ContentVectors["coldStart"]>;
}

/**
 * The map that places items the recommender has not seen in its factor space from their content: a
 * ridge regression from the content blocks to the item factors (and to log-popularity), fitted on every
 * item with interactions. A new item's row is the predicted factors plus `popularityPrior` times its
 * predicted (standardised) log-popularity along the mean user's direction m = ū/‖ū‖², so u·row adds
 * about that prior for a typical user: content predicts how many will want an item as well as who.
 *
 * The block weights, the ridge strength and the prior are chosen by measurement: a share of the items
 * with interactions is held out of the fit and each user's held-out items are ranked among all held-out
 * items by u·row; the candidate with the best nDCG@k wins (the grid's equal weights first, so ties keep
 * them). The user factors were trained with those items' interactions, so the figure is a little
 * optimistic for every candidate alike; the item rows being ranked come from content only.
 */
export function fitColdStartMap(args: {
  blocks: readonly VectorBlock[];
  mf: RecommenderFactors;
  /** users × items, the recommender's training interactions */
  interactions: CsrMatrix;
  options?: Partial<ColdStartOptions>;
}): ColdStartMap | null {
  const { blocks, mf, interactions } = args;
  const o = { ...COLD_START_DEFAULTS, ...args.options };
  const f = mf.factors;
  const counts = columnCounts(interactions);
  const warm: number[] = [];
  const cold: number[] = [];
  counts.forEach((count, i) => {
    (count > 0 ? warm : cold).push(i);
  });
  if (blocks.length === 0 || warm.length < 2) {
    return null;
  }
  // targets: the item factors, then log-popularity
  const width = f + 1;
  const targets = new Float32Array(counts.length * width);
  for (const i of warm) {
    targets.set(mf.itemFactors.subarray(i * f, (i + 1) * f), i * width);
    targets[i * width + f] = Math.log1p(counts[i]!);
  }
  const meanUser = meanUserDirection(mf, interactions);
  const validation = chooseByValidation(blocks, mf, interactions, warm, targets, meanUser, o);
  const choice = validation ?? {
    weights: Array(blocks.length).fill(1 / blocks.length),
    lambda: o.defaultLambda,
    prior: 0,
    weighting: unmeasured(o.k),
  };
  const stats = ridgeStatistics(blocks, warm, targets, width);
  const map = solveRidgeMap(stats, choice.weights, choice.lambda);
  const predicted = applyRidgeMap(map, blocks, cold);
  const vectors = foldPrior(
    predicted,
    cold.length,
    f,
    popularityScale(stats, warm, targets),
    meanUser,
    choice.prior,
  );
  return {
    weights: choice.weights,
    items: Int32Array.from(cold),
    vectors,
    spec: {
      items: cold.length,
      parts: blocks.map((block, b) => ({ name: block.name, weight: choice.weights[b]! })),
      lambda: choice.lambda,
      popularityPrior: choice.prior,
      weighting: choice.weighting,
    },
  };
}

interface Choice {
  weights: number[];
  lambda: number;
  prior: number;
  weighting: WeightChoice;
}

const metricName = (k: number) => `cold-ndcg@${k}`;

function unmeasured(k: number): WeightChoice {
  return { method: "default", metric: metricName(k), heldOut: 0, score: null, bestSinglePart: null };
}

function chooseByValidation(
  blocks: readonly VectorBlock[],
  mf: RecommenderFactors,
  interactions: CsrMatrix,
  warm: readonly number[],
  targets: Float32Array,
  meanUser: Float64Array,
  o: ColdStartOptions,
): Choice | null {
  const rng = mulberry32(o.seed);
  const shuffled = shuffleInPlace([...warm], rng);
  const heldCount = Math.min(o.maxHeldOut, Math.round(o.heldOutShare * warm.length));
  if (heldCount < o.minHeldOut || warm.length - heldCount < 2) {
    return null;
  }
  const held = shuffled.slice(0, heldCount).sort((a, b) => a - b);
  const support = shuffled.slice(heldCount);
  const slot = new Int32Array(interactions.cols).fill(-1);
  held.forEach((i, s) => {
    slot[i] = s;
  });
  // each sampled user's held-out items, as slots into `held`
  const users: { user: number; relevant: Set<number> }[] = [];
  for (let u = 0; u < interactions.rows; u++) {
    const relevant = new Set<number>();
    for (let t = interactions.offsets[u]!; t < interactions.offsets[u + 1]!; t++) {
      const s = slot[interactions.indices[t]!]!;
      if (s >= 0) {
        relevant.add(s);
      }
    }
    if (relevant.size > 0) {
      users.push({ user: u, relevant });
    }
  }
  if (users.length < o.minUsers) {
    return null;
  }
  const sampled = shuffleInPlace(users, rng).slice(0, o.maxUsers);
  const f = mf.factors;
  const width = f + 1;
  const stats = ridgeStatistics(blocks, support, targets, width);
  const scale = popularityScale(stats, support, targets);
  const userDotMean = Float64Array.from(sampled, ({ user }) => dot(mf.userFactors, user * f, meanUser, 0, f));
  const scores = new Float64Array(held.length);
  const base = new Float64Array(sampled.length * held.length);
  const prior = new Float64Array(held.length);

  let best: Choice | null = null;
  let bestSingle = Number.NEGATIVE_INFINITY;
  for (const weights of simplexGrid(blocks.length, gridStep(blocks.length))) {
    const single = weights.filter((w) => w > 0).length === 1;
    for (const lambda of o.lambdas) {
      const predicted = applyRidgeMap(solveRidgeMap(stats, weights, lambda), blocks, held);
      for (let s = 0; s < held.length; s++) {
        prior[s] = (predicted[s * width + f]! - scale.mean) / scale.sd;
      }
      sampled.forEach(({ user }, r) => {
        for (let s = 0; s < held.length; s++) {
          base[r * held.length + s] = dot(mf.userFactors, user * f, predicted, s * width, f);
        }
      });
      for (const gamma of o.priors) {
        let total = 0;
        sampled.forEach(({ relevant }, r) => {
          for (let s = 0; s < held.length; s++) {
            scores[s] = base[r * held.length + s]! + gamma * prior[s]! * userDotMean[r]!;
          }
          total += ndcgAtK(topK(scores, o.k), relevant, o.k);
        });
        const score = total / sampled.length;
        if (single) {
          bestSingle = Math.max(bestSingle, score);
        }
        if (best === null || score > best.weighting.score!) {
          best = {
            weights,
            lambda,
            prior: gamma,
            weighting: {
              method: "validation",
              metric: metricName(o.k),
              heldOut: held.length,
              score,
              bestSinglePart: null,
            },
          };
        }
      }
    }
  }
  if (best) {
    best.weighting.bestSinglePart = bestSingle;
  }
  return best;
}

/** ū/‖ū‖² over the users with interactions: u·m is about 1 for the mean user. */
function meanUserDirection(mf: RecommenderFactors, interactions: CsrMatrix): Float64Array {
  const f = mf.factors;
  const mean = new Float64Array(f);
  let users = 0;
  for (let u = 0; u < interactions.rows; u++) {
    if (interactions.offsets[u + 1]! > interactions.offsets[u]!) {
      users++;
      for (let a = 0; a < f; a++) {
        mean[a]! += mf.userFactors[u * f + a]!;
      }
    }
  }
  let norm = 0;
  for (let a = 0; a < f; a++) {
    mean[a]! /= Math.max(1, users);
    norm += mean[a]! ** 2;
  }
  for (let a = 0; a < f; a++) {
    mean[a] = norm > 0 ? mean[a]! / norm : 0;
  }
  return mean;
}

/** Mean and standard deviation of the support items' log-popularity (the last target column). */
function popularityScale(
  stats: { targetMean: Float64Array; targetDim: number },
  support: readonly number[],
  targets: Float32Array,
): { mean: number; sd: number } {
  const width = stats.targetDim;
  const mean = stats.targetMean[width - 1]!;
  let variance = 0;
  for (const i of support) {
    variance += (targets[i * width + width - 1]! - mean) ** 2 / support.length;
  }
  return { mean, sd: Math.sqrt(variance) || 1 };
}

/** Rows of `predicted` [n × (f + 1)] as factor rows [n × f], with the popularity prior folded in. */
function foldPrior(
  predicted: Float32Array,
  n: number,
  f: number,
  scale: { mean: number; sd: number },
  meanUser: Float64Array,
  gamma: number,
): Float32Array {
  const out = new Float32Array(n * f);
  for (let r = 0; r < n; r++) {
    const lift = (gamma * (predicted[r * (f + 1) + f]! - scale.mean)) / scale.sd;
    for (let a = 0; a < f; a++) {
      out[r * f + a] = predicted[r * (f + 1) + a]! + lift * meanUser[a]!;
    }
  }
  return out;
}

function dot(a: ArrayLike<number>, ao: number, b: ArrayLike<number>, bo: number, n: number): number {
  let s = 0;
  for (let t = 0; t < n; t++) {
    s += a[ao + t]! * b[bo + t]!;
  }
  return s;
}

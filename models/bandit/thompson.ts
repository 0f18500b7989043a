/**
 * Linear Thompson sampling over the context's projection (see linear-state.ts): a slot's action is the
 * argmax of gᵀy over the remaining actions for g ~ N(mean, v²·covariance), one fresh draw per slot, after
 * a uniform pick with probability epsilon. The argmax of a Gaussian draw has no closed-form probability,
 * so propensities are ESTIMATED: the share of `draws` independent draws whose argmax is the action
 * (standard error ≤ 0.5/√draws), mixed with the same epsilon floor. The estimate uses draws independent of
 * the one that chose, so it is unbiased, and the floor keeps a shown action's logged propensity > 0.
 */
import type { Rng } from "../random.ts";
import { type ContextProjection, covarianceFactor } from "./linear-state.ts";
import type { Slate } from "./slate.ts";

export interface ThompsonOptions {
  posteriorScale: number;
  epsilon: number;
  propensityDraws: number;
}

/** Scores of every action under one posterior draw of g, into out (n). */
function drawScores(
  projection: ContextProjection,
  factor: Float64Array,
  scale: number,
  actions: Float64Array,
  rng: Rng,
  g: Float64Array,
  noise: Float64Array,
  out: Float64Array,
): void {
  const da = g.length;
  for (let j = 0; j < da; j += 2) {
    // Box–Muller; 1 − rng() is in (0, 1], so the log is finite.
    const radius = Math.sqrt(-2 * Math.log(1 - rng()));
    const angle = 2 * Math.PI * rng();
    noise[j] = radius * Math.cos(angle);
    if (j + 1 < da) {
      noise[j + 1] = radius * Math.sin(angle);
    }
  }
  for (let j = 0; j < da; j++) {
    let s = 0;
    for (let k = 0; k <= j; k++) {
      s += factor[j * da + k]! * noise[k]!;
    }
    g[j] = projection.mean[j]! + scale * s;
  }
  for (let a = 0; a < out.length; a++) {
    let s = 0;
    for (let j = 0; j < da; j++) {
      s += g[j]! * actions[a * da + j]!;
    }
    out[a] = s;
  }
}

function argmaxRemaining(scores: Float64Array, offset: number, n: number, taken: Uint8Array): number {
  let best = -1;
  for (let a = 0; a < n; a++) {
    if (taken[a] === 0 && (best < 0 || scores[offset + a]! > scores[offset + best]!)) {
      best = a;
    }
  }
  return best;
}

/** `draws` × n scores: the Monte Carlo sample every slot's propensity estimate reads. */
function sampleScoreMatrix(
  projection: ContextProjection,
  factor: Float64Array,
  actions: Float64Array,
  n: number,
  options: ThompsonOptions,
  rng: Rng,
): Float64Array {
  const da = projection.mean.length;
  const g = new Float64Array(da);
  const noise = new Float64Array(da);
  const matrix = new Float64Array(options.propensityDraws * n);
  for (let m = 0; m < options.propensityDraws; m++) {
    drawScores(
      projection,
      factor,
      options.posteriorScale,
      actions,
      rng,
      g,
      noise,
      matrix.subarray(m * n, (m + 1) * n),
    );
  }
  return matrix;
}

/** The next slot's estimated distribution over all n actions (0 for taken ones), from the score matrix. */
function estimatedSlotDistribution(
  matrix: Float64Array,
  n: number,
  taken: Uint8Array,
  options: ThompsonOptions,
  out: Float64Array,
): void {
  out.fill(0);
  let remaining = 0;
  for (let a = 0; a < n; a++) {
    remaining += taken[a] === 0 ? 1 : 0;
  }
  const share = (1 - options.epsilon) / options.propensityDraws;
  for (let m = 0; m < options.propensityDraws; m++) {
    const best = argmaxRemaining(matrix, m * n, n, taken);
    out[best] = out[best]! + share;
  }
  const floor = options.epsilon / remaining;
  for (let a = 0; a < n; a++) {
    if (taken[a] === 0) {
      out[a] = out[a]! + floor;
    }
  }
}

export function thompsonSlate(
  projection: ContextProjection,
  actions: Float64Array,
  n: number,
  k: number,
  options: ThompsonOptions,
  rng: Rng,
): Slate {
  const slots = Math.min(k, n);
  const factor = covarianceFactor(projection);
  const da = projection.mean.length;
  const taken = new Uint8Array(n);
  const order = new Uint32Array(slots);
  const propensities = new Float64Array(slots);
  const scores = new Float64Array(n);
  const g = new Float64Array(da);
  const noise = new Float64Array(da);
  const matrix = sampleScoreMatrix(projection, factor, actions, n, options, rng);
  const distribution = new Float64Array(n);
  for (let s = 0; s < slots; s++) {
    let chosen: number;
    if (rng() < options.epsilon) {
      let pick = Math.floor(rng() * (n - s));
      chosen = 0;
      for (let a = 0; a < n; a++) {
        if (taken[a] === 0 && pick-- === 0) {
          chosen = a;
          break;
        }
      }
    } else {
      drawScores(projection, factor, options.posteriorScale, actions, rng, g, noise, scores);
      chosen = argmaxRemaining(scores, 0, n, taken);
    }
    estimatedSlotDistribution(matrix, n, taken, options, distribution);
    order[s] = chosen;
    propensities[s] = distribution[chosen]!;
    taken[chosen] = 1;
  }
  return { order, propensities };
}

/** The estimated top-slot distribution over all n actions (for evaluating a Thompson policy offline). */
export function thompsonTopSlotDistribution(
  projection: ContextProjection,
  actions: Float64Array,
  n: number,
  options: ThompsonOptions,
  rng: Rng,
  out: Float64Array,
): void {
  const matrix = sampleScoreMatrix(projection, covarianceFactor(projection), actions, n, options, rng);
  estimatedSlotDistribution(matrix, n, new Uint8Array(n), options, out);
}

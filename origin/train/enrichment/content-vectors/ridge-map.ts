import { choleskyInPlace, choleskySolveInPlace } from "../../linalg/cholesky.ts";

/** One source of dense item vectors: [items × dim] rows, and which items have one. */
export interface VectorBlock {
  name: string;
  dim: number;
  vectors: Float32Array;
  /** 1 where the item has this block; the others' rows are ignored */
  present: Uint8Array;
}

/**
 * The sufficient statistics of a linear ridge map from content blocks to target vectors (the
 * recommender's item factors) over a set of support items, computed once so many block weightings and
 * ridge strengths can be solved cheaply: the Gram matrix of the features and their products with the
 * targets. Features: each block's rows unit-length, centred on the block's mean over the support items
 * that have it; a missing block is that mean (zero after centring). Weighting a block by w scales its
 * features by √w, so the weighted Gram is S·G·S: solving for a weighting never revisits the items.
 */
export interface RidgeStatistics {
  blocks: { name: string; dim: number; offset: number; mean: Float64Array }[];
  /** total feature width */
  dim: number;
  targetDim: number;
  /** [dim × dim] Xᵀ·X */
  gram: Float64Array;
  /** [dim × targetDim] Xᵀ·(Y − ȳ) */
  crossTargets: Float64Array;
  targetMean: Float64Array;
  support: number;
}

export interface RidgeMap {
  statistics: RidgeStatistics;
  weights: readonly number[];
  lambda: number;
  /** [dim × targetDim], for features already scaled by √weight */
  coefficients: Float64Array;
}

/** The centred, unit-length features of `item` into `out` (unweighted); false when it has no block at all. */
function features(
  blocks: readonly VectorBlock[],
  stats: RidgeStatistics,
  item: number,
  out: Float64Array,
): boolean {
  out.fill(0);
  let any = false;
  blocks.forEach((block, b) => {
    if (block.present[item] !== 1) {
      return;
    }
    const { offset, mean } = stats.blocks[b]!;
    let norm = 0;
    for (let d = 0; d < block.dim; d++) {
      norm += block.vectors[item * block.dim + d]! ** 2;
    }
    if (norm === 0) {
      return;
    }
    any = true;
    const inv = 1 / Math.sqrt(norm);
    for (let d = 0; d < block.dim; d++) {
      out[offset + d] = block.vectors[item * block.dim + d]! * inv - mean[d]!;
    }
  });
  return any;
}

export function ridgeStatistics(
  blocks: readonly VectorBlock[],
  support: readonly number[],
  targets: Float32Array,
  targetDim: number,
): RidgeStatistics {
  let dim = 0;
  const layout = blocks.map((block) => {
    const mean = new Float64Array(block.dim);
    let count = 0;
    for (const i of support) {
      if (block.present[i] !== 1) {
        continue;
      }
      let norm = 0;
      for (let d = 0; d < block.dim; d++) {
        norm += block.vectors[i * block.dim + d]! ** 2;
      }
      if (norm === 0) {
        continue;
      }
      count++;
      const inv = 1 / Math.sqrt(norm);
      for (let d = 0; d < block.dim; d++) {
        mean[d]! += block.vectors[i * block.dim + d]! * inv;
      }
    }
    for (let d = 0; d < block.dim; d++) {
      mean[d]! /= Math.max(1, count);
    }
    const entry = { name: block.name, dim: block.dim, offset: dim, mean };
    dim += block.dim;
    return entry;
  });
  const targetMean = new Float64Array(targetDim);
  for (const i of support) {
    for (let a = 0; a < targetDim; a++) {
      targetMean[a]! += targets[i * targetDim + a]! / support.length;
    }
  }
  const stats: RidgeStatistics = {
    blocks: layout,
    dim,
    targetDim,
    gram: new Float64Array(dim * dim),
    crossTargets: new Float64Array(dim * targetDim),
    targetMean,
    support: support.length,
  };
  const x = new Float64Array(dim);
  for (const i of support) {
    if (!features(blocks, stats, i, x)) {
      continue;
    }
    for (let p = 0; p < dim; p++) {
      const xp = x[p]!;
      if (xp === 0) {
        continue;
      }
      for (let q = p; q < dim; q++) {
        stats.gram[p * dim + q]! += xp * x[q]!;
      }
      for (let a = 0; a < targetDim; a++) {
        stats.crossTargets[p * targetDim + a]! += xp * (targets[i * targetDim + a]! - targetMean[a]!);
      }
    }
  }
  for (let p = 0; p < dim; p++) {
    for (let q = 0; q < p; q++) {
      stats.gram[p * dim + q] = stats.gram[q * dim + p]!;
    }
  }
  return stats;
}

/** √weight of each feature column. */
function columnScales(stats: RidgeStatistics, weights: readonly number[]): Float64Array {
  const scales = new Float64Array(stats.dim);
  stats.blocks.forEach((block, b) => {
    scales.fill(Math.sqrt(weights[b] ?? 0), block.offset, block.offset + block.dim);
  });
  return scales;
}

/** Solves (S·G·S + λI)·β = S·Xᵀ·(Y − ȳ) for the block weights' scaling S. */
export function solveRidgeMap(stats: RidgeStatistics, weights: readonly number[], lambda: number): RidgeMap {
  const { dim, targetDim } = stats;
  const s = columnScales(stats, weights);
  const system = new Float64Array(dim * dim);
  for (let p = 0; p < dim; p++) {
    for (let q = 0; q < dim; q++) {
      system[p * dim + q] = s[p]! * stats.gram[p * dim + q]! * s[q]!;
    }
    system[p * dim + p]! += lambda;
  }
  choleskyInPlace(system, dim);
  const coefficients = new Float64Array(dim * targetDim);
  const rhs = new Float64Array(dim);
  for (let a = 0; a < targetDim; a++) {
    for (let p = 0; p < dim; p++) {
      rhs[p] = s[p]! * stats.crossTargets[p * targetDim + a]!;
    }
    choleskySolveInPlace(system, dim, rhs);
    for (let p = 0; p < dim; p++) {
      coefficients[p * targetDim + a] = rhs[p]!;
    }
  }
  return { statistics: stats, weights: [...weights], lambda, coefficients };
}

/** Mapped vectors [items.length × targetDim]; an item with no block gets the targets' mean. */
export function applyRidgeMap(
  map: RidgeMap,
  blocks: readonly VectorBlock[],
  items: readonly number[],
): Float32Array {
  const { statistics: stats, coefficients } = map;
  const f = stats.targetDim;
  const s = columnScales(stats, map.weights);
  const x = new Float64Array(stats.dim);
  const out = new Float32Array(items.length * f);
  items.forEach((item, r) => {
    const row = new Float64Array(stats.targetMean);
    if (features(blocks, stats, item, x)) {
      for (let p = 0; p < stats.dim; p++) {
        const xp = x[p]! * s[p]!;
        if (xp === 0) {
          continue;
        }
        for (let a = 0; a < f; a++) {
          row[a]! += xp * coefficients[p * f + a]!;
        }
      }
    }
    out.set(row, r * f);
  });
  return out;
}

/**
 * k-means for the catalogue's IVF index (ivf-index.ts), in plain TypeScript so the encoder runs wherever
 * the origin does. Seeded (k-means++ on a bounded sample, then Lloyd iterations on that sample), so the
 * same vectors always give the same lists. Two levels: √lists coarse centroids, then each coarse group
 * split in proportion to its size. Assigning a million items costs about 2·√lists dot products each
 * instead of `lists`, which keeps a publish of a 1M-item catalogue in seconds; the search side ranks every
 * fine centroid flat, so the hierarchy shapes only the build.
 */
import { mulberry32, type Rng } from "../random.ts";

/** Points per centroid the Lloyd iterations train on: enough for stable means, bounded cost. */
const SAMPLE_PER_CENTROID = 64;
const ITERATIONS = 8;

/** Rows of `points` ([n, dim] row-major) as a view. */
interface Points {
  values: Float32Array;
  dim: number;
}

function squaredNorm(values: Float32Array, at: number, dim: number): number {
  let sum = 0;
  for (let d = 0; d < dim; d++) {
    sum += values[at + d]! * values[at + d]!;
  }
  return sum;
}

function dot(a: Float32Array, at: number, b: Float32Array, bt: number, dim: number): number {
  let sum = 0;
  for (let d = 0; d < dim; d++) {
    sum += a[at + d]! * b[bt + d]!;
  }
  return sum;
}

/** The nearest of `k` centroids to row `row` by Euclidean distance (‖c‖² − 2⟨x, c⟩; ties to the lower). */
function nearest(
  points: Points,
  row: number,
  centroids: Float32Array,
  norms: Float64Array,
  k: number,
): number {
  const { values, dim } = points;
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (let c = 0; c < k; c++) {
    const distance = norms[c]! - 2 * dot(values, row * dim, centroids, c * dim, dim);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = c;
    }
  }
  return best;
}

function centroidNorms(centroids: Float32Array, k: number, dim: number): Float64Array {
  return Float64Array.from({ length: k }, (_, c) => squaredNorm(centroids, c * dim, dim));
}

/** k centroids for the rows `members` of `points`. */
function train(points: Points, members: Uint32Array, k: number, rng: Rng): Float32Array {
  const { values, dim } = points;
  const m = Math.min(members.length, k * SAMPLE_PER_CENTROID);
  const sample = new Uint32Array(m);
  for (let i = 0; i < m; i++) {
    sample[i] = members[m === members.length ? i : Math.floor(rng() * members.length)]!;
  }
  // k-means++: each next seed drawn in proportion to its squared distance to the nearest seed so far.
  const centroids = new Float32Array(k * dim);
  const closest = new Float64Array(m).fill(Number.POSITIVE_INFINITY);
  let seed = sample[Math.floor(rng() * m)]!;
  for (let c = 0; c < k; c++) {
    centroids.set(values.subarray(seed * dim, seed * dim + dim), c * dim);
    let total = 0;
    for (let i = 0; i < m; i++) {
      const at = sample[i]! * dim;
      let distance = 0;
      for (let d = 0; d < dim; d++) {
        const e = values[at + d]! - centroids[c * dim + d]!;
        distance += e * e;
      }
      closest[i] = Math.min(closest[i]!, distance);
      total += closest[i]!;
    }
    let target = rng() * total;
    let pick = 0;
    while (pick < m - 1 && target > closest[pick]!) {
      target -= closest[pick]!;
      pick++;
    }
    seed = sample[pick]!;
  }
  const sums = new Float64Array(k * dim);
  const counts = new Uint32Array(k);
  for (let iteration = 0; iteration < ITERATIONS; iteration++) {
    const norms = centroidNorms(centroids, k, dim);
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < m; i++) {
      const row = sample[i]!;
      const c = nearest(points, row, centroids, norms, k);
      counts[c]!++;
      for (let d = 0; d < dim; d++) {
        sums[c * dim + d]! += values[row * dim + d]!;
      }
    }
    for (let c = 0; c < k; c++) {
      // An emptied centroid restarts on a random sample point rather than staying where nothing is.
      const restart = sample[Math.floor(rng() * m)]!;
      for (let d = 0; d < dim; d++) {
        centroids[c * dim + d] =
          counts[c]! > 0 ? sums[c * dim + d]! / counts[c]! : values[restart * dim + d]!;
      }
    }
  }
  return centroids;
}

export interface Clustering {
  /** The cluster of every row. */
  assignment: Uint32Array;
  /** [clusters, dim]: the mean of each cluster's rows (an empty cluster keeps its trained centroid). */
  centroids: Float32Array;
  clusters: number;
}

/** About `target` clusters of the rows of `values` ([rows, dim]), two-level, seeded. */
export function clusterRows(values: Float32Array, dim: number, target: number, seed: number): Clustering {
  const rows = values.length / dim;
  const points = { values, dim };
  const rng = mulberry32(seed);
  const all = Uint32Array.from({ length: rows }, (_, i) => i);
  const coarseCount = Math.max(1, Math.min(rows, Math.round(Math.sqrt(target))));
  const coarse = train(points, all, coarseCount, rng);
  const coarseNorms = centroidNorms(coarse, coarseCount, dim);
  const groupOf = Uint32Array.from(all, (row) => nearest(points, row, coarse, coarseNorms, coarseCount));
  const groupSizes = new Uint32Array(coarseCount);
  for (const g of groupOf) {
    groupSizes[g]!++;
  }
  const groups = Array.from({ length: coarseCount }, (_, g) => new Uint32Array(groupSizes[g]!));
  const filled = new Uint32Array(coarseCount);
  for (let row = 0; row < rows; row++) {
    const g = groupOf[row]!;
    groups[g]![filled[g]!++] = row;
  }

  const assignment = new Uint32Array(rows);
  const fine: Float32Array[] = [];
  let clusters = 0;
  for (const members of groups) {
    if (members.length === 0) {
      continue;
    }
    const k = Math.max(1, Math.min(members.length, Math.round((target * members.length) / rows)));
    const centroids = train(points, members, k, rng);
    const norms = centroidNorms(centroids, k, dim);
    for (const row of members) {
      assignment[row] = clusters + nearest(points, row, centroids, norms, k);
    }
    fine.push(centroids);
    clusters += k;
  }
  const centroids = new Float32Array(clusters * dim);
  fine.reduce((at, block) => {
    centroids.set(block, at);
    return at + block.length;
  }, 0);
  meansOf(points, assignment, centroids, clusters);
  return { assignment, centroids, clusters };
}

/** Replaces each non-empty cluster's centroid with the mean of its rows (the trained one saw a sample). */
function meansOf(points: Points, assignment: Uint32Array, centroids: Float32Array, clusters: number): void {
  const { values, dim } = points;
  const sums = new Float64Array(clusters * dim);
  const counts = new Uint32Array(clusters);
  for (let row = 0; row < assignment.length; row++) {
    const c = assignment[row]!;
    counts[c]!++;
    for (let d = 0; d < dim; d++) {
      sums[c * dim + d]! += values[row * dim + d]!;
    }
  }
  for (let c = 0; c < clusters; c++) {
    if (counts[c]! > 0) {
      for (let d = 0; d < dim; d++) {
        centroids[c * dim + d] = sums[c * dim + d]! / counts[c]!;
      }
    }
  }
}

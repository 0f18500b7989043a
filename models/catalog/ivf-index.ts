/**
 * The catalogue's IVF index (inverted file over k-means centroids), built at publish time so the edge
 * scores a probe budget of rows instead of every item.
 *
 * Scores are inner products, and k-means partitions by distance, so the items are first lifted into the
 * space where the two agree (Bachrach et al. 2014): x' = [x, √(M² − ‖x‖²)] with M the largest item norm,
 * so every x' has norm M and ⟨q, x⟩ ranks items exactly as the distance from q' = [M·q/‖q‖, 0] does. The
 * lists are k-means clusters of the x', and a query ranks list l by
 *
 *   rank(l) = M·⟨q/‖q‖, c_l⟩ − ‖c'_l‖² / 2          (= −½ distance² from q' to c'_l, plus a constant)
 *
 * computed at the edge as score(c_l)·γ + bias_l with γ = M / ‖q‖ (the same int8 scoring as an item) and
 * bias_l = −‖c'_l‖²/2 stored per list. Items are stored list by list, so a list is a contiguous run of rows
 * that the kernel scans with SIMD, and the index costs no per-item bytes at all.
 *
 * The probe budget (rows) is measured here, not guessed: the encoder probes sample queries (the users'
 * embeddings when the origin passes them) against the exact scan of the same int8 table and keeps the
 * smallest budget whose recall of the exact top 100 reaches PROBE_RECALL_TARGET.
 */
import { TopNHeap } from "../../wasm/top-n-by-score.ts";
import { clusterRows } from "./kmeans.ts";

/**
 * Below this many items the edge scans every row, exactly. Measured (bench/index-threshold.ts, 64 dims, 200
 * candidates): the probe is already cheaper from 2,000 items (0.018 against 0.041 ms), but below 4,096 the
 * whole exact scan costs under 0.06 ms, nothing next to a request, and its recall is 1; at 8,000 the probe
 * is 5× cheaper, at 64,000 16×.
 */
export const INDEX_MIN_ITEMS = 4096;
/** Mean recall of the exact top RECALL_AT that the published probe budget must reach on the sample queries. */
export const PROBE_RECALL_TARGET = 0.97;
export const RECALL_AT = 100;
const SAMPLE_QUERIES = 48;
/** An index whose budget would scan more than this share of the rows is not worth its ranking: none is built. */
const MAX_PROBE_SHARE = 0.25;

export interface IvfPlan {
  /** order[r] = the input item stored at row r (rows grouped list by list). */
  order: Uint32Array;
  /** Rows of list l: offsets[l] .. offsets[l + 1]. */
  offsets: Uint32Array;
  lists: number;
  /** [lists, dim] centroids in the items' own space (float; the encoder quantizes them). */
  centroids: Float32Array;
  /** −‖c'_l‖²/2 per list. */
  bias: Float32Array;
  maxNorm: number;
}

/** Lists for `items` rows: about 2·√items, so ranking them costs far less than the rows a probe scans. */
export function listsFor(items: number): number {
  return Math.max(1, Math.round(2 * Math.sqrt(items)));
}

export function planIvf(vectors: Float32Array, items: number, dim: number, seed = 1): IvfPlan {
  const norms = new Float64Array(items);
  let maxSquared = 0;
  for (let i = 0; i < items; i++) {
    let sum = 0;
    for (let d = 0; d < dim; d++) {
      sum += vectors[i * dim + d]! ** 2;
    }
    norms[i] = sum;
    maxSquared = Math.max(maxSquared, sum);
  }
  const lifted = new Float32Array(items * (dim + 1));
  for (let i = 0; i < items; i++) {
    lifted.set(vectors.subarray(i * dim, (i + 1) * dim), i * (dim + 1));
    lifted[i * (dim + 1) + dim] = Math.sqrt(Math.max(0, maxSquared - norms[i]!));
  }
  const clustering = clusterRows(lifted, dim + 1, listsFor(items), seed);
  const lists = clustering.clusters;
  const offsets = new Uint32Array(lists + 1);
  for (const l of clustering.assignment) {
    offsets[l + 1]!++;
  }
  for (let l = 0; l < lists; l++) {
    offsets[l + 1]! += offsets[l]!;
  }
  const order = new Uint32Array(items);
  const next = offsets.slice(0, lists);
  for (let i = 0; i < items; i++) {
    order[next[clustering.assignment[i]!]!++] = i;
  }
  const centroids = new Float32Array(lists * dim);
  const bias = new Float32Array(lists);
  for (let l = 0; l < lists; l++) {
    let squared = 0;
    for (let d = 0; d <= dim; d++) {
      const v = clustering.centroids[l * (dim + 1) + d]!;
      squared += v * v;
      if (d < dim) {
        centroids[l * dim + d] = v;
      }
    }
    bias[l] = -squared / 2;
  }
  return { order, offsets, lists, centroids, bias, maxNorm: Math.sqrt(maxSquared) };
}

/** An int8 table as the kernel holds it: row i ≈ values[i·dim ..] · scales[i]. */
export interface Int8Rows {
  values: Int8Array;
  scales: Float32Array;
  dim: number;
}

/** The IVF index as stored (and as the edge reads it). */
export interface IvfIndex {
  lists: number;
  centroids: Int8Array;
  centroidScales: Float32Array;
  bias: Float32Array;
  offsets: Uint32Array;
  maxNorm: number;
  /** Rows a probe scans by default (measured at publish time). */
  probeRows: number;
  /** The recall probeRows reached at publish time. */
  recall: number;
}

/**
 * The int8 kernel's score, step by step in float32: f32(dot) · f32(scale · userScale). The kernel, its
 * TypeScript reference and this module agree on it bit for bit.
 */
export function int8Score(rows: Int8Rows, row: number, user: Int8Array, userScale: number): number {
  const { values, scales, dim } = rows;
  let dot = 0;
  for (let d = 0; d < dim; d++) {
    dot += values[row * dim + d]! * user[d]!;
  }
  return Math.fround(Math.fround(dot) * Math.fround(scales[row]! * Math.fround(userScale)));
}

/** γ = M / ‖q‖ for the float query (1 for a zero query, whose ranking is then the bias alone). */
export function listGamma(index: Pick<IvfIndex, "maxNorm">, query: Float32Array): number {
  let squared = 0;
  for (let d = 0; d < query.length; d++) {
    squared += query[d]! * query[d]!;
  }
  return Math.fround(squared > 0 ? index.maxNorm / Math.sqrt(squared) : 1);
}

/** Every list, best first: rank(l) = f32(f32(score(c_l)) · γ) + bias_l in float32, ties to the lower list. */
export function rankLists(index: IvfIndex, dim: number, user: Int8Array, userScale: number, gamma: number) {
  const centroids = { values: index.centroids, scales: index.centroidScales, dim };
  const ranks = new Float32Array(index.lists);
  for (let l = 0; l < index.lists; l++) {
    ranks[l] = Math.fround(Math.fround(int8Score(centroids, l, user, userScale) * gamma) + index.bias[l]!);
  }
  return Uint32Array.from({ length: index.lists }, (_, l) => l).sort(
    (a, b) => ranks[b]! - ranks[a]! || a - b,
  );
}

export interface Calibration {
  probeRows: number;
  recall: number;
}

/**
 * The smallest budget (a power of two rows, at least 2·RECALL_AT) whose probe finds PROBE_RECALL_TARGET of
 * the exact top RECALL_AT, averaged over `queries` ([count, dim] floats); null when only a budget above
 * MAX_PROBE_SHARE of the rows would, so the exact scan serves better.
 */
export function calibrateProbe(
  rows: Int8Rows,
  index: Omit<IvfIndex, "probeRows" | "recall">,
  queries: Float32Array,
  quantize: (query: Float32Array) => { values: Int8Array; scale: number },
  /** Measure this budget only, and keep it whatever its recall (tests, operators' overrides). */
  fixedRows?: number,
): Calibration | null {
  const items = rows.scales.length;
  const dim = rows.dim;
  const budgets: number[] = fixedRows === undefined ? [] : [fixedRows];
  for (let b = 2 * RECALL_AT; fixedRows === undefined && b < items * MAX_PROBE_SHARE; b *= 2) {
    budgets.push(b);
  }
  if (budgets.length === 0) {
    return null;
  }
  const found = new Float64Array(budgets.length);
  const count = Math.min(SAMPLE_QUERIES, Math.floor(queries.length / dim));
  const scores = new Float32Array(items);
  const full = { ...index, probeRows: items, recall: 1 };
  for (let q = 0; q < count; q++) {
    const query = queries.subarray(q * dim, (q + 1) * dim);
    const user = quantize(query);
    const exact = new TopNHeap(RECALL_AT);
    for (let i = 0; i < items; i++) {
      scores[i] = int8Score(rows, i, user.values, user.scale);
      exact.offer(scores[i]!, i);
    }
    const truth = exact.result();
    const threshold = truth.scores[truth.scores.length - 1]!;
    const order = rankLists(full, dim, user.values, user.scale, listGamma(full, query));
    const heap = new TopNHeap(RECALL_AT);
    let scanned = 0;
    let next = 0;
    for (const [b, budget] of budgets.entries()) {
      while (scanned < budget && next < order.length) {
        const l = order[next++]!;
        for (let i = index.offsets[l]!; i < index.offsets[l + 1]!; i++) {
          heap.offer(scores[i]!, i);
        }
        scanned += index.offsets[l + 1]! - index.offsets[l]!;
      }
      found[b]! += recallOf(heap, threshold, truth.indices.length);
    }
  }
  const pick =
    fixedRows === undefined ? budgets.findIndex((_, b) => found[b]! / count >= PROBE_RECALL_TARGET) : 0;
  return pick < 0 ? null : { probeRows: budgets[pick]!, recall: found[pick]! / count };
}

/** Share of the exact top that the heap holds: entries scoring at least the exact top's last score. */
function recallOf(heap: TopNHeap, threshold: number, of: number): number {
  // A copy of the heap's entries: result() would spend the heap that later budgets keep filling.
  const kept = heap.peekScores();
  let hits = 0;
  for (const s of kept) {
    if (s >= threshold) {
      hits++;
    }
  }
  return Math.min(1, hits / of);
}

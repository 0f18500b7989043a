/**
 * Gradient-boosted decision trees for a binary label (logistic loss), grown leaf-wise on histograms of
 * binned features, in the manner of LightGBM (Ke et al. 2017): each round fits one tree to the gradients
 * g = p − y and hessians h = p(1 − p) of the current log-odds; a leaf's value is −η·G/(H + λ), and the leaf
 * whose best split gains most, G_L²/(H_L+λ) + G_R²/(H_R+λ) − G²/(H+λ), is split next, until `maxLeaves`.
 * A child's histogram is built over the smaller side's rows and the larger side's is the parent's minus
 * it. No sampling: the same data and options give the same trees on any machine.
 *
 * Why our own: no GBDT library for Node is kept up (npm has an emscripten build of XGBoost from 2018,
 * `ml-xgboost`, and small pure-JS ports), and the trees must end as ONNX TreeEnsemble attributes, which
 * needs the tree structure itself.
 */
import { type BinaryTree, treeLeaf } from "../../../models/onnx/index.ts";
import { logLoss } from "../evaluation/index.ts";
import { type BinnedColumns, binColumns, fitBinEdges } from "./bin-columns.ts";

export interface GbdtOptions {
  /** Most rounds (trees); early stopping may keep fewer. */
  rounds: number;
  learningRate: number;
  maxLeaves: number;
  /** Least hessian sum on each side of a split (about the rows, scaled by p(1 − p)). */
  minChildWeight: number;
  /** L2 on leaf values (λ). */
  l2: number;
  maxBins: number;
  /** Stop once the validation log-loss has not improved for this many rounds. */
  earlyStoppingRounds: number;
}

export const GBDT_DEFAULTS: GbdtOptions = {
  rounds: 300,
  learningRate: 0.1,
  maxLeaves: 15,
  minChildWeight: 1,
  l2: 1,
  maxBins: 64,
  earlyStoppingRounds: 30,
};

export interface GbdtModel {
  dim: number;
  /** Log-odds of the training base rate: where every prediction starts. */
  baseScore: number;
  trees: BinaryTree[];
}

export interface DenseRows {
  x: Float32Array;
  rows: number;
  labels: ArrayLike<number>;
}

interface Leaf {
  start: number;
  end: number;
  /** Per column and bin: gradient sum then hessian sum, [cols × bins × 2]. */
  histogram: Float64Array;
  gradient: number;
  hessian: number;
  node: number;
  split: { gain: number; column: number; bin: number } | null;
}

/** Σ over the leaf's rows of g and h per (column, bin). */
function buildHistogram(
  binned: BinnedColumns,
  order: Int32Array,
  start: number,
  end: number,
  g: Float64Array,
  h: Float64Array,
  maxBins: number,
): Float64Array {
  const { cols, bins } = binned;
  const histogram = new Float64Array(cols * maxBins * 2);
  for (let i = start; i < end; i++) {
    const r = order[i]!;
    const gr = g[r]!;
    const hr = h[r]!;
    const base = r * cols;
    for (let c = 0; c < cols; c++) {
      const slot = (c * maxBins + bins[base + c]!) * 2;
      histogram[slot]! += gr;
      histogram[slot + 1]! += hr;
    }
  }
  return histogram;
}

function bestSplit(leaf: Leaf, binned: BinnedColumns, options: GbdtOptions): Leaf["split"] {
  const { l2, minChildWeight, maxBins } = options;
  const parentScore = (leaf.gradient * leaf.gradient) / (leaf.hessian + l2);
  let best: Leaf["split"] = null;
  for (let c = 0; c < binned.cols; c++) {
    const edges = binned.edges[c]!.length;
    let gl = 0;
    let hl = 0;
    for (let b = 0; b < edges; b++) {
      const slot = (c * maxBins + b) * 2;
      gl += leaf.histogram[slot]!;
      hl += leaf.histogram[slot + 1]!;
      const gr = leaf.gradient - gl;
      const hr = leaf.hessian - hl;
      if (hl < minChildWeight || hr < minChildWeight) {
        continue;
      }
      const gain = (gl * gl) / (hl + l2) + (gr * gr) / (hr + l2) - parentScore;
      if (gain > 1e-12 && (best === null || gain > best.gain)) {
        best = { gain, column: c, bin: b };
      }
    }
  }
  return best;
}

/** Grows one tree on the current gradients; adds its values to `logits` of the training rows. */
function growTree(
  binned: BinnedColumns,
  g: Float64Array,
  h: Float64Array,
  logits: Float64Array,
  options: GbdtOptions,
): BinaryTree {
  const order = Int32Array.from({ length: binned.rows }, (_, r) => r);
  const feature: number[] = [-1];
  const threshold: number[] = [0];
  const left: number[] = [0];
  const right: number[] = [0];
  const value: number[] = [0];
  const sums = (start: number, end: number) => {
    let gs = 0;
    let hs = 0;
    for (let i = start; i < end; i++) {
      gs += g[order[i]!]!;
      hs += h[order[i]!]!;
    }
    return { gradient: gs, hessian: hs };
  };
  const root: Leaf = {
    start: 0,
    end: binned.rows,
    histogram: buildHistogram(binned, order, 0, binned.rows, g, h, options.maxBins),
    ...sums(0, binned.rows),
    node: 0,
    split: null,
  };
  root.split = bestSplit(root, binned, options);
  const leaves: Leaf[] = [root];
  while (leaves.length < options.maxLeaves) {
    let pick = -1;
    for (let i = 0; i < leaves.length; i++) {
      const split = leaves[i]!.split;
      if (split && (pick < 0 || split.gain > leaves[pick]!.split!.gain)) {
        pick = i;
      }
    }
    if (pick < 0) {
      break;
    }
    const leaf = leaves[pick]!;
    const { column, bin } = leaf.split!;
    // Partition the leaf's rows: bin ≤ split bin to the left.
    let mid = leaf.start;
    for (let i = leaf.start; i < leaf.end; i++) {
      const r = order[i]!;
      if (binned.bins[r * binned.cols + column]! <= bin) {
        order[i] = order[mid]!;
        order[mid] = r;
        mid++;
      }
    }
    const leftNode = feature.length;
    const rightNode = leftNode + 1;
    feature[leaf.node] = column;
    threshold[leaf.node] = binned.edges[column]![bin]!;
    left[leaf.node] = leftNode;
    right[leaf.node] = rightNode;
    feature.push(-1, -1);
    threshold.push(0, 0);
    left.push(0, 0);
    right.push(0, 0);
    value.push(0, 0);
    const smallIsLeft = mid - leaf.start <= leaf.end - mid;
    const small = smallIsLeft ? { start: leaf.start, end: mid } : { start: mid, end: leaf.end };
    const smallHistogram = buildHistogram(binned, order, small.start, small.end, g, h, options.maxBins);
    const largeHistogram = leaf.histogram.map((v, i) => v - smallHistogram[i]!);
    const child = (start: number, end: number, histogram: Float64Array, node: number): Leaf => {
      const next: Leaf = { start, end, histogram, ...sums(start, end), node, split: null };
      next.split = bestSplit(next, binned, options);
      return next;
    };
    const leftLeaf = child(leaf.start, mid, smallIsLeft ? smallHistogram : largeHistogram, leftNode);
    const rightLeaf = child(mid, leaf.end, smallIsLeft ? largeHistogram : smallHistogram, rightNode);
    leaves.splice(pick, 1, leftLeaf, rightLeaf);
  }
  for (const leaf of leaves) {
    const v = Math.fround((-options.learningRate * leaf.gradient) / (leaf.hessian + options.l2));
    value[leaf.node] = v;
    for (let i = leaf.start; i < leaf.end; i++) {
      logits[order[i]!]! += v;
    }
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float32Array.from(value),
  };
}

/** The value of the leaf row r of x [rows, dim] reaches in `tree`. */
function treeValue(tree: BinaryTree, x: Float32Array, dim: number, r: number): number {
  return tree.value[treeLeaf(tree, x, r * dim)]!;
}

const sigmoid = (z: number) => 1 / (1 + Math.exp(-z));

function probabilities(logits: Float64Array): Float32Array {
  return Float32Array.from(logits, sigmoid);
}

/**
 * Trains on `train` (x row-major [rows, dim]); with `validation`, keeps the trees up to the round of its
 * lowest log-loss once `earlyStoppingRounds` pass without improvement.
 */
export function trainGbdt(
  train: DenseRows,
  dim: number,
  options: Partial<GbdtOptions> = {},
  validation?: DenseRows,
): { model: GbdtModel; validationLogLoss: number; rounds: number } {
  const o = { ...GBDT_DEFAULTS, ...options };
  const { rows, labels } = train;
  let positives = 0;
  for (let r = 0; r < rows; r++) {
    positives += labels[r]!;
  }
  const rate = Math.min(1 - 1e-6, Math.max(1e-6, positives / Math.max(1, rows)));
  const baseScore = Math.log(rate / (1 - rate));
  const binned = binColumns(train.x, rows, dim, fitBinEdges(train.x, rows, dim, o.maxBins));
  const logits = new Float64Array(rows).fill(baseScore);
  const validationLogits = validation ? new Float64Array(validation.rows).fill(baseScore) : null;
  const g = new Float64Array(rows);
  const h = new Float64Array(rows);
  const trees: BinaryTree[] = [];
  let bestLoss = Number.POSITIVE_INFINITY;
  let bestRounds = 0;
  for (let round = 0; round < o.rounds; round++) {
    for (let r = 0; r < rows; r++) {
      const p = sigmoid(logits[r]!);
      g[r] = p - labels[r]!;
      h[r] = Math.max(p * (1 - p), 1e-12);
    }
    const tree = growTree(binned, g, h, logits, o);
    trees.push(tree);
    if (validation && validationLogits) {
      for (let r = 0; r < validation.rows; r++) {
        validationLogits[r]! += treeValue(tree, validation.x, dim, r);
      }
      const loss = logLoss(validation.labels, probabilities(validationLogits));
      if (loss < bestLoss - 1e-9) {
        bestLoss = loss;
        bestRounds = trees.length;
      } else if (trees.length - bestRounds >= o.earlyStoppingRounds) {
        break;
      }
    }
  }
  const kept = validation ? trees.slice(0, bestRounds) : trees;
  return {
    model: { dim, baseScore, trees: kept.length > 0 ? kept : trees.slice(0, 1) },
    validationLogLoss: bestLoss,
    rounds: kept.length,
  };
}

/** P(label = 1) for each row of x [rows, dim]. */
export function predictGbdt(model: GbdtModel, x: Float32Array, rows: number): Float32Array {
  const out = new Float32Array(rows);
  for (let r = 0; r < rows; r++) {
    let z = model.baseScore;
    for (const tree of model.trees) {
      z += treeValue(tree, x, model.dim, r);
    }
    out[r] = sigmoid(z);
  }
  return out;
}

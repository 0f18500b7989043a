/**
 * Gradient-boosted trees as ONNX: features [N, D] → ai.onnx.ml TreeEnsembleClassifier → probabilities
 * [N, 1] = sigmoid(base + Σ leaf values). onnxruntime-web runs the ai.onnx.ml domain in its wasm build,
 * inside workerd too (test/worker/model-endpoints.test.ts), so the edge serves trees with the session code
 * it serves every other model with.
 *
 * Two things about ORT's binary TreeEnsembleClassifier shape the graph: it ignores `base_values` when one
 * class has all the weights, so the base score is folded into the first tree's leaves; and its first
 * probability column is not 1 − p, so the graph slices out the second one, P(label = 1), which keeps the
 * output the same [N, 1] "probabilities" as the linear classifier's.
 *
 * Splits are `x <= threshold` (BRANCH_LEQ) on float32 thresholds; a NaN goes right (the false branch), as
 * `NaN <= t` is false in TypeScript too. "int8" rounds the leaf values to an int8 grid with one scale: the
 * numbers a compact tree format would store. ONNX keeps tree attributes as float32, so the bytes do not
 * shrink; it exists to measure what quantized leaves cost.
 */
import { GraphBuilder, serializeModel } from "./graph-builder.ts";
import type { BuildOptions, BuiltModel } from "./model-io.ts";
import { dequantizePerTensor, quantizePerTensor } from "./quantize.ts";

/**
 * One binary tree in flat arrays; node 0 is the root. An inner node has a feature ≥ 0 and sends `x[feature]
 * <= threshold` to `left`, the rest to `right`; a leaf has feature −1 and its value.
 */
export interface BinaryTree {
  feature: Int32Array;
  threshold: Float32Array;
  left: Int32Array;
  right: Int32Array;
  value: Float32Array;
}

export interface TreeEnsembleOptions extends BuildOptions {
  trees: readonly BinaryTree[];
  /** The log-odds every prediction starts from. */
  baseScore: number;
  inputDim: number;
}

export const TREE_INPUT = "features";
export const TREE_OUTPUT = "probabilities";
export const ML_DOMAIN = "ai.onnx.ml";

/** The leaf values the graph adds up: the base score folded into tree 0, on the int8 grid if quantized. */
export function effectiveLeafValues(
  options: Pick<TreeEnsembleOptions, "trees" | "baseScore" | "quantize">,
): Float32Array[] {
  const values = options.trees.map((tree, t) =>
    Float32Array.from(tree.value, (v, node) =>
      t === 0 && tree.feature[node]! < 0 ? v + options.baseScore : v,
    ),
  );
  if (options.quantize === "float32") {
    return values;
  }
  const leaves = new Float32Array(values.reduce((n, v) => n + v.length, 0));
  let offset = 0;
  for (const v of values) {
    leaves.set(v, offset);
    offset += v.length;
  }
  const rounded = dequantizePerTensor(quantizePerTensor(leaves));
  offset = 0;
  return values.map((v) => {
    const out = rounded.slice(offset, offset + v.length);
    offset += v.length;
    return out;
  });
}

export function checkTrees(trees: readonly BinaryTree[], inputDim: number): void {
  if (trees.length === 0) {
    throw new RangeError("tree ensemble: needs at least one tree");
  }
  trees.forEach((tree, t) => {
    const n = tree.feature.length;
    for (let node = 0; node < n; node++) {
      const feature = tree.feature[node]!;
      if (feature >= inputDim) {
        throw new RangeError(`tree ${t} node ${node}: feature ${feature} is outside the ${inputDim} inputs`);
      }
      if (
        feature >= 0 &&
        !(
          tree.left[node]! > node &&
          tree.left[node]! < n &&
          tree.right[node]! > node &&
          tree.right[node]! < n
        )
      ) {
        throw new RangeError(`tree ${t} node ${node}: children must come after it and within the tree`);
      }
    }
  });
}

export function buildTreeEnsembleClassifier(options: TreeEnsembleOptions): BuiltModel {
  const { trees, inputDim } = options;
  checkTrees(trees, inputDim);
  const leafValues = effectiveLeafValues(options);
  const nodes = {
    treeIds: [] as number[],
    nodeIds: [] as number[],
    features: [] as number[],
    values: [] as number[],
  };
  const modes: string[] = [];
  const branches = { trueIds: [] as number[], falseIds: [] as number[] };
  const leaves = { treeIds: [] as number[], nodeIds: [] as number[], weights: [] as number[] };
  trees.forEach((tree, t) => {
    for (let node = 0; node < tree.feature.length; node++) {
      const leaf = tree.feature[node]! < 0;
      nodes.treeIds.push(t);
      nodes.nodeIds.push(node);
      nodes.features.push(leaf ? 0 : tree.feature[node]!);
      nodes.values.push(leaf ? 0 : tree.threshold[node]!);
      modes.push(leaf ? "LEAF" : "BRANCH_LEQ");
      branches.trueIds.push(leaf ? 0 : tree.left[node]!);
      branches.falseIds.push(leaf ? 0 : tree.right[node]!);
      if (leaf) {
        leaves.treeIds.push(t);
        leaves.nodeIds.push(node);
        leaves.weights.push(leafValues[t]![node]!);
      }
    }
  });
  const graph = new GraphBuilder(options.name ?? "tree-ensemble");
  const features = graph.input(TREE_INPUT, "float32", ["N", inputDim]);
  graph.node(
    "TreeEnsembleClassifier",
    [features],
    ["label", "class_probabilities"],
    {
      nodes_treeids: { ints: nodes.treeIds },
      nodes_nodeids: { ints: nodes.nodeIds },
      nodes_featureids: { ints: nodes.features },
      nodes_values: { floats: nodes.values },
      nodes_modes: { strings: modes },
      nodes_truenodeids: { ints: branches.trueIds },
      nodes_falsenodeids: { ints: branches.falseIds },
      class_treeids: { ints: leaves.treeIds },
      class_nodeids: { ints: leaves.nodeIds },
      class_ids: { ints: leaves.treeIds.map(() => 1) },
      class_weights: { floats: leaves.weights },
      classlabels_int64s: { ints: [0, 1] },
      post_transform: { string: "LOGISTIC" },
    },
    ML_DOMAIN,
  );
  const starts = graph.int64("slice_starts", [1], BigInt64Array.of(1n));
  const ends = graph.int64("slice_ends", [1], BigInt64Array.of(2n));
  const axes = graph.int64("slice_axes", [1], BigInt64Array.of(1n));
  graph.node("Slice", ["class_probabilities", starts, ends, axes], [TREE_OUTPUT]);
  graph.output(TREE_OUTPUT, "float32", ["N", 1]);
  const bytes = serializeModel(graph, {
    name: options.name ?? "tree-ensemble",
    version: options.version ?? "0",
    docString: `${trees.length} gradient-boosted trees over ${inputDim} features, ${options.quantize} leaves`,
  });
  return { kind: "tree-ensemble", bytes, io: graph.io(), quantization: options.quantize };
}

/** The leaf a row reaches: x[offset + feature] <= threshold goes left (a NaN goes right). */
export function treeLeaf(tree: BinaryTree, x: Float32Array, offset: number): number {
  let node = 0;
  while (tree.feature[node]! >= 0) {
    node = x[offset + tree.feature[node]!]! <= tree.threshold[node]! ? tree.left[node]! : tree.right[node]!;
  }
  return node;
}

/** P(label = 1) for each row of x [rows, inputDim], as the graph computes it (float32 comparisons). */
export function createTreeEnsembleReference(
  options: Pick<TreeEnsembleOptions, "trees" | "baseScore" | "quantize" | "inputDim">,
): (x: Float32Array, rows: number) => Float32Array {
  checkTrees(options.trees, options.inputDim);
  const leafValues = effectiveLeafValues(options);
  return (x, rows) => {
    const out = new Float32Array(rows);
    for (let r = 0; r < rows; r++) {
      let sum = 0;
      options.trees.forEach((tree, t) => {
        sum += leafValues[t]![treeLeaf(tree, x, r * options.inputDim)]!;
      });
      out[r] = 1 / (1 + Math.exp(-sum));
    }
    return out;
  };
}

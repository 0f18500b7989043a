/**
 * buildTreeEnsembleClassifier against its TypeScript reference in every runtime, float32 and int8 leaves:
 * random trees over 6 features, rows that sit exactly on thresholds (they go left) and NaN inputs (they
 * go right), one row and a batch. The edge serves the behaviour model's trees through the same graph.
 */
import { describe, expect, it } from "vitest";
import {
  type BinaryTree,
  buildTreeEnsembleClassifier,
  createTreeEnsembleReference,
  TREE_INPUT,
  TREE_OUTPUT,
} from "../../../models/onnx/index.ts";
import { mulberry32, type Rng } from "../../../models/random.ts";
import { FLOAT32_SLACK } from "./helpers/error-bounds.ts";
import { maxAbsDiff, RUNTIMES } from "./helpers/runtimes.ts";

const DIM = 6;

/** A random tree of `inner` splits: each split turns a random leaf into an inner node with two leaves. */
function randomTree(rng: Rng, inner: number): BinaryTree {
  const feature = [-1];
  const threshold = [0];
  const left = [0];
  const right = [0];
  const value = [0];
  for (let s = 0; s < inner; s++) {
    const leaves = feature.flatMap((f, node) => (f < 0 ? [node] : []));
    const node = leaves[Math.floor(rng() * leaves.length)]!;
    feature[node] = Math.floor(rng() * DIM);
    threshold[node] = Math.fround(Math.round((rng() - 0.5) * 40) / 10);
    left[node] = feature.length;
    right[node] = feature.length + 1;
    feature.push(-1, -1);
    threshold.push(0, 0);
    left.push(0, 0);
    right.push(0, 0);
    value.push(0, 0);
  }
  return {
    feature: Int32Array.from(feature),
    threshold: Float32Array.from(threshold),
    left: Int32Array.from(left),
    right: Int32Array.from(right),
    value: Float32Array.from(value, (_, node) => (feature[node]! < 0 ? (rng() - 0.5) * 0.6 : 0)),
  };
}

const rng = mulberry32(404);
const trees = Array.from({ length: 25 }, (_, t) => randomTree(rng, 1 + (t % 7)));
const baseScore = -0.7;

/** Rows on the thresholds' grid (so some equal a threshold exactly), a few NaN. */
function rows(seed: number, count: number): Float32Array {
  const r = mulberry32(seed);
  return Float32Array.from({ length: count * DIM }, (_, i) =>
    i % 17 === 5 ? Number.NaN : Math.round((r() - 0.5) * 40) / 10,
  );
}

for (const quantize of ["float32", "int8"] as const) {
  const model = buildTreeEnsembleClassifier({ trees, baseScore, inputDim: DIM, quantize });
  const reference = createTreeEnsembleReference({ trees, baseScore, inputDim: DIM, quantize });

  describe(`tree ensemble of ${trees.length} trees, ${quantize} leaves`, () => {
    it("declares features [N, D] → probabilities [N, 1] and imports the ai.onnx.ml opset", () => {
      expect(model.kind).toBe("tree-ensemble");
      expect(model.io).toEqual({
        inputs: [{ name: TREE_INPUT, dtype: "float32", shape: ["N", DIM] }],
        outputs: [{ name: TREE_OUTPUT, dtype: "float32", shape: ["N", 1] }],
      });
    });

    it("sends a row equal to a threshold left and a NaN right, in the reference", () => {
      const stump: BinaryTree = {
        feature: Int32Array.of(0, -1, -1),
        threshold: Float32Array.of(0.5, 0, 0),
        left: Int32Array.of(1, 0, 0),
        right: Int32Array.of(2, 0, 0),
        value: Float32Array.of(0, -2, 2),
      };
      const forward = createTreeEnsembleReference({ trees: [stump], baseScore: 0, inputDim: 1, quantize });
      const p = forward(Float32Array.of(0.5, Number.NaN, 0.6), 3);
      expect(p[0]).toBeLessThan(0.5);
      expect(p[1]).toBeGreaterThan(0.5);
      expect(p[2]).toBeGreaterThan(0.5);
    });

    for (const runtime of RUNTIMES) {
      for (const count of [1, 200]) {
        it(`${runtime.label} agrees with the TS reference for N=${count}`, async () => {
          const x = rows(count, count);
          const session = await runtime.load(model.bytes);
          const out = (
            await session.run({ [TREE_INPUT]: { dtype: "float32", data: x, dims: [count, DIM] } })
          )[TREE_OUTPUT]!;
          expect(out.dims).toEqual([count, 1]);
          expect(maxAbsDiff(out.data, reference(x, count))).toBeLessThanOrEqual(FLOAT32_SLACK);
        });
      }
    }
  });
}

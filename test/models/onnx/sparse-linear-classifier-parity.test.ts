/**
 * buildSparseLinearClassifier (indices + values → Gather → Mul → ReduceSum → sigmoid) against the dense
 * linear classifier with the same weights fed the same rows as 2^12-wide vectors, and against the
 * TypeScript reference, in every runtime, float32 and int8, for one row and for a padded batch of rows of
 * different lengths (an empty row included). The sparse graph replaces the dense one at the edge, so it
 * must give the same probabilities, not merely close ones.
 */
import { describe, expect, it } from "vitest";
import { type SparseRows, stackSparse, toDenseRows, toPaddedRows } from "../../../models/features/index.ts";
import {
  buildLinearClassifier,
  buildSparseLinearClassifier,
  CLASSIFIER_INPUT,
  CLASSIFIER_OUTPUT,
  createSparseLinearReference,
  type Quantization,
  SPARSE_CLASSIFIER_OUTPUT,
  SPARSE_INDICES_INPUT,
  SPARSE_VALUES_INPUT,
} from "../../../models/onnx/index.ts";
import { mulberry32, randomNormalArray } from "../../../models/random.ts";
import { FLOAT32_SLACK } from "./helpers/error-bounds.ts";
import { maxAbsDiff, RUNTIMES } from "./helpers/runtimes.ts";

const DIM = 4096;

/** `rows` sparse rows of 0…60 distinct sorted indices with values like sublinear term weights. */
function sparseRows(seed: number, rows: number): SparseRows {
  const rng = mulberry32(seed);
  const vectors = Array.from({ length: rows }, (_, r) => {
    const count = r === 1 ? 0 : Math.floor(rng() * 60);
    const indices = new Set<number>();
    while (indices.size < count) {
      indices.add(Math.floor(rng() * DIM));
    }
    const sorted = Int32Array.from(indices).sort();
    return { indices: sorted, values: Float32Array.from(sorted, () => (rng() - 0.3) * 0.5) };
  });
  return stackSparse(vectors, DIM);
}

const rng = mulberry32(91);
const weights = randomNormalArray(rng, DIM, 0.8);
const bias = -0.2;

for (const quantize of ["float32", "int8"] as const satisfies readonly Quantization[]) {
  const sparse = buildSparseLinearClassifier({ weights, bias, quantize });
  const dense = buildLinearClassifier({
    weights,
    bias: Float32Array.of(bias),
    inputDim: DIM,
    classes: 1,
    output: "sigmoid",
    quantize,
  });
  const reference = createSparseLinearReference({ weights, bias, quantize });

  describe(`sparse linear classifier over ${DIM} indices, ${quantize}`, () => {
    it("declares indices and values [N, K] → probabilities [N, 1]", () => {
      expect(sparse.kind).toBe("sparse-linear-classifier");
      expect(sparse.io).toEqual({
        inputs: [
          { name: SPARSE_INDICES_INPUT, dtype: "int32", shape: ["N", "K"] },
          { name: SPARSE_VALUES_INPUT, dtype: "float32", shape: ["N", "K"] },
        ],
        outputs: [{ name: SPARSE_CLASSIFIER_OUTPUT, dtype: "float32", shape: ["N", 1] }],
      });
    });

    for (const runtime of RUNTIMES) {
      for (const rows of [1, 23]) {
        it(`${runtime.label}: sparse = dense = TS reference for N=${rows}`, async () => {
          const x = sparseRows(rows * 31, rows);
          const padded = toPaddedRows(x);
          const sparseOut = (
            await (
              await runtime.load(sparse.bytes)
            ).run({
              [SPARSE_INDICES_INPUT]: { dtype: "int32", data: padded.indices, dims: [rows, padded.width] },
              [SPARSE_VALUES_INPUT]: { dtype: "float32", data: padded.values, dims: [rows, padded.width] },
            })
          )[SPARSE_CLASSIFIER_OUTPUT]!;
          const denseOut = (
            await (
              await runtime.load(dense.bytes)
            ).run({
              [CLASSIFIER_INPUT]: { dtype: "float32", data: toDenseRows(x), dims: [rows, DIM] },
            })
          )[CLASSIFIER_OUTPUT]!;
          expect(sparseOut.dims).toEqual([rows, 1]);
          const expected = reference(x);
          expect(maxAbsDiff(sparseOut.data, expected)).toBeLessThanOrEqual(FLOAT32_SLACK);
          if (quantize === "float32" || !runtime.quantizesActivations) {
            expect(maxAbsDiff(sparseOut.data, denseOut.data)).toBeLessThanOrEqual(FLOAT32_SLACK);
          } else {
            // Native ORT's default options fuse the dense graph's DequantizeLinear → MatMul into a kernel
            // that also quantizes the inputs to int8: each value moves by ≤ max|x|/254, so the logit by
            // ≤ Σ|w|·max|x|/254 and the probability by a quarter of that.
            for (let r = 0; r < rows; r++) {
              let bound = FLOAT32_SLACK;
              let maxX = 0;
              for (let t = x.offsets[r]!; t < x.offsets[r + 1]!; t++) {
                maxX = Math.max(maxX, Math.abs(x.values[t]!));
              }
              for (let t = x.offsets[r]!; t < x.offsets[r + 1]!; t++) {
                bound += (Math.abs(weights[x.indices[t]!]!) * maxX) / 254 / 4;
              }
              expect(Math.abs(sparseOut.data[r]! - denseOut.data[r]!)).toBeLessThanOrEqual(bound);
            }
          }
          // The empty row scores the bias alone.
          if (rows > 1) {
            expect(sparseOut.data[1]).toBeCloseTo(1 / (1 + Math.exp(-bias)), 6);
          }
        });
      }
    }
  });
}

/**
 * buildMlpScorer: the same inputs through onnxruntime-node, onnxruntime-web and the TypeScript reference,
 * in float32 and int8, at batch sizes 1 and 37 (the batch dimension is symbolic). Bounds are explained in
 * helpers/error-bounds.ts.
 */
import { describe, expect, it } from "vitest";
import {
  buildMlpScorer,
  createMlpReference,
  type DenseLayer,
  MLP_INPUT,
  MLP_OUTPUT,
  type MlpScorerOptions,
  type Quantization,
} from "../../../models/onnx/index.ts";
import { mulberry32, randomNormalArray } from "../../../models/random.ts";
import { denseStackBound, FLOAT32_SLACK, pointwiseHeadBound } from "./helpers/error-bounds.ts";
import { type LoadedModel, maxAbsDiff, outOfBound, RUNTIMES, type Runtime } from "./helpers/runtimes.ts";

function randomLayers(seed: number, dims: readonly number[]): DenseLayer[] {
  const rng = mulberry32(seed);
  return dims.slice(1).map((out, i) => {
    const inDim = dims[i]!;
    return {
      weights: randomNormalArray(rng, inDim * out, Math.sqrt(2 / inDim)),
      bias: randomNormalArray(rng, out, 0.1),
      in: inDim,
      out,
    };
  });
}

const SHAPES = [
  { label: "20→32 relu→1 sigmoid", dims: [20, 32, 1], output: "sigmoid" },
  { label: "12→24 relu→8 relu→3 identity", dims: [12, 24, 8, 3], output: "identity" },
] as const;

const QUANTIZATIONS: readonly Quantization[] = ["float32", "int8"];

for (const [shapeIndex, shape] of SHAPES.entries()) {
  const layers = randomLayers(100 + shapeIndex, shape.dims);
  const base = { layers, activation: "relu", output: shape.output } satisfies Omit<
    MlpScorerOptions,
    "quantize"
  >;
  const inputDim = shape.dims[0];
  const outputDim = shape.dims[shape.dims.length - 1]!;
  const float32Reference = createMlpReference({ ...base, quantize: "float32" });

  for (const quantize of QUANTIZATIONS) {
    const options: MlpScorerOptions = { ...base, quantize };
    const model = buildMlpScorer(options);
    const reference = createMlpReference(options);

    describe(`MLP scorer ${shape.label}, ${quantize}`, () => {
      it("declares features [N, D] → score [N, out] in its IO description", () => {
        expect(model.io).toEqual({
          inputs: [{ name: MLP_INPUT, dtype: "float32", shape: ["N", inputDim] }],
          outputs: [{ name: MLP_OUTPUT, dtype: "float32", shape: ["N", outputDim] }],
        });
      });

      if (quantize === "int8") {
        it("keeps the TS int8 reference within the weight-quantization bound of the float32 reference", () => {
          const x = randomNormalArray(mulberry32(7), 37 * inputDim);
          const deviation = { actual: "int8", baseline: "float32", activationQuantization: false } as const;
          const bound = pointwiseHeadBound(denseStackBound(layers, deviation, x, 37), shape.output);
          expect(outOfBound(reference(x, 37), float32Reference(x, 37), bound)).toEqual([]);
        });
      }

      for (const runtime of RUNTIMES) {
        let loaded: Promise<LoadedModel> | undefined;
        const load = (r: Runtime) => {
          loaded ??= r.load(model.bytes);
          return loaded;
        };

        for (const rows of [1, 37]) {
          it(`${runtime.label} agrees with the TS reference for N=${rows}`, async () => {
            const x = randomNormalArray(mulberry32(rows * 31 + shapeIndex), rows * inputDim);
            const session = await load(runtime);
            const result = (
              await session.run({ [MLP_INPUT]: { dtype: "float32", data: x, dims: [rows, inputDim] } })
            )[MLP_OUTPUT]!;
            expect(result.dims).toEqual([rows, outputDim]);
            const expected = reference(x, rows);
            if (quantize === "float32" || !runtime.quantizesActivations) {
              // Identical weights on both sides (int8: bit-identical dequantized values): float rounding only.
              expect(maxAbsDiff(result.data, expected)).toBeLessThanOrEqual(FLOAT32_SLACK);
            } else {
              const deviation = { actual: "int8", baseline: "int8", activationQuantization: true } as const;
              const bound = pointwiseHeadBound(denseStackBound(layers, deviation, x, rows), shape.output);
              expect(outOfBound(result.data, expected, bound)).toEqual([]);
            }
            if (quantize === "int8") {
              const deviation = {
                actual: "int8",
                baseline: "float32",
                activationQuantization: runtime.quantizesActivations,
              } as const;
              const bound = pointwiseHeadBound(denseStackBound(layers, deviation, x, rows), shape.output);
              expect(outOfBound(result.data, float32Reference(x, rows), bound)).toEqual([]);
            }
          });
        }
      }
    });
  }
}

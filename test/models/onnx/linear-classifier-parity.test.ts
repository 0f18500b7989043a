/**
 * buildLinearClassifier: probabilities through onnxruntime-node, onnxruntime-web and the TypeScript
 * reference, float32 and int8, softmax and sigmoid heads, at batch sizes 1 and 37. Inputs are hashed
 * bag-of-words counts (softmax) and dense features (sigmoid), the two kinds of vector the product feeds.
 * Bounds are explained in helpers/error-bounds.ts.
 */
import { describe, expect, it } from "vitest";
import {
  buildLinearClassifier,
  CLASSIFIER_INPUT,
  CLASSIFIER_OUTPUT,
  createLinearClassifierReference,
  type LinearClassifierOptions,
  type Quantization,
} from "../../../models/onnx/index.ts";
import { mulberry32, type Rng, randomNormalArray } from "../../../models/random.ts";
import {
  denseStackBound,
  FLOAT32_SLACK,
  pointwiseHeadBound,
  softmaxHeadBound,
} from "./helpers/error-bounds.ts";
import { type LoadedModel, maxAbsDiff, outOfBound, RUNTIMES } from "./helpers/runtimes.ts";

const INPUT_DIM = 64;

/** Rows of 12 tokens hashed into INPUT_DIM buckets, as counts. */
function hashedCounts(rng: Rng, rows: number): Float32Array {
  const x = new Float32Array(rows * INPUT_DIM);
  for (let r = 0; r < rows; r++) {
    for (let t = 0; t < 12; t++) {
      x[r * INPUT_DIM + Math.floor(rng() * INPUT_DIM)]! += 1;
    }
  }
  return x;
}

const HEADS = [
  { output: "softmax", classes: 5, inputs: hashedCounts },
  {
    output: "sigmoid",
    classes: 4,
    inputs: (rng: Rng, rows: number) => randomNormalArray(rng, rows * INPUT_DIM),
  },
] as const;

const QUANTIZATIONS: readonly Quantization[] = ["float32", "int8"];

for (const [headIndex, head] of HEADS.entries()) {
  const rng = mulberry32(200 + headIndex);
  const base = {
    weights: randomNormalArray(rng, INPUT_DIM * head.classes, 0.3),
    bias: randomNormalArray(rng, head.classes, 0.1),
    inputDim: INPUT_DIM,
    classes: head.classes,
    output: head.output,
  } satisfies Omit<LinearClassifierOptions, "quantize">;
  const layers = [{ weights: base.weights, bias: base.bias, in: INPUT_DIM, out: head.classes }];
  const float32Reference = createLinearClassifierReference({ ...base, quantize: "float32" });

  for (const quantize of QUANTIZATIONS) {
    const model = buildLinearClassifier({ ...base, quantize });
    const reference = createLinearClassifierReference({ ...base, quantize });

    describe(`linear classifier ${INPUT_DIM}→${head.classes} ${head.output}, ${quantize}`, () => {
      it("declares features [N, D] → probabilities [N, C] in its IO description", () => {
        expect(model.io).toEqual({
          inputs: [{ name: CLASSIFIER_INPUT, dtype: "float32", shape: ["N", INPUT_DIM] }],
          outputs: [{ name: CLASSIFIER_OUTPUT, dtype: "float32", shape: ["N", head.classes] }],
        });
      });

      for (const runtime of RUNTIMES) {
        let loaded: Promise<LoadedModel> | undefined;

        for (const rows of [1, 37]) {
          it(`${runtime.label} agrees with the TS reference for N=${rows}`, async () => {
            const x = head.inputs(mulberry32(rows * 17 + headIndex), rows);
            loaded ??= runtime.load(model.bytes);
            const session = await loaded;
            const feeds = {
              [CLASSIFIER_INPUT]: { dtype: "float32", data: x, dims: [rows, INPUT_DIM] },
            } as const;
            const result = (await session.run(feeds))[CLASSIFIER_OUTPUT]!;
            expect(result.dims).toEqual([rows, head.classes]);
            const boundAgainst = (baseline: Quantization, probabilities: Float32Array) => {
              const deviation = {
                actual: quantize,
                baseline,
                activationQuantization: runtime.quantizesActivations,
              };
              const logits = denseStackBound(layers, deviation, x, rows);
              return head.output === "softmax"
                ? softmaxHeadBound(logits, probabilities, head.classes)
                : pointwiseHeadBound(logits, head.output);
            };
            const expected = reference(x, rows);
            if (quantize === "float32" || !runtime.quantizesActivations) {
              expect(maxAbsDiff(result.data, expected)).toBeLessThanOrEqual(FLOAT32_SLACK);
            } else {
              expect(outOfBound(result.data, expected, boundAgainst("int8", expected))).toEqual([]);
            }
            if (quantize === "int8") {
              const exact = float32Reference(x, rows);
              expect(outOfBound(result.data, exact, boundAgainst("float32", exact))).toEqual([]);
            }
          });
        }
      }
    });
  }
}

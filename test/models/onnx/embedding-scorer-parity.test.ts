/**
 * buildEmbeddingScorer: scores = user · item_table[item_ids]ᵀ through onnxruntime-node, onnxruntime-web and
 * the TypeScript reference, for a float32 table and an int8 table (Gather over int8 rows, per-tensor or
 * per-row scales), at (B, N) = (1, 1) and (3, 37). Bounds are explained in helpers/error-bounds.ts.
 */
import { describe, expect, it } from "vitest";
import {
  buildEmbeddingScorer,
  createEmbeddingReference,
  EMBEDDING_ITEMS_INPUT,
  EMBEDDING_OUTPUT,
  EMBEDDING_USER_INPUT,
  type EmbeddingScorerOptions,
} from "../../../models/onnx/index.ts";
import { mulberry32, randomIndexArray, randomNormalArray } from "../../../models/random.ts";
import { embeddingBound, FLOAT32_SLACK } from "./helpers/error-bounds.ts";
import { type LoadedModel, maxAbsDiff, outOfBound, RUNTIMES } from "./helpers/runtimes.ts";

const ITEMS = 300;
const DIM = 24;

/** Rows with norms spread over 0.2–2.2, as trained tables have (popular items grow long vectors). */
function skewedTable(seed: number): Float32Array {
  const rng = mulberry32(seed);
  const table = randomNormalArray(rng, ITEMS * DIM, 1 / Math.sqrt(DIM));
  for (let r = 0; r < ITEMS; r++) {
    const norm = 0.2 + 2 * rng();
    for (let k = 0; k < DIM; k++) {
      table[r * DIM + k]! *= norm;
    }
  }
  return table;
}

const itemTable = skewedTable(11);
const VARIANTS: readonly { label: string; options: EmbeddingScorerOptions }[] = [
  { label: "float32", options: { itemTable, items: ITEMS, dim: DIM, quantize: "float32" } },
  { label: "int8 per-tensor", options: { itemTable, items: ITEMS, dim: DIM, quantize: "int8" } },
  {
    label: "int8 per-row",
    options: { itemTable, items: ITEMS, dim: DIM, quantize: "int8", scaleGranularity: "per-row" },
  },
];
const float32Reference = createEmbeddingReference(VARIANTS[0]!.options);

for (const { label, options } of VARIANTS) {
  const model = buildEmbeddingScorer(options);
  const reference = createEmbeddingReference(options);

  describe(`embedding scorer, ${label}`, () => {
    it("declares user [B, dim] and item_ids [N] → scores [B, N] in its IO description", () => {
      expect(model.io).toEqual({
        inputs: [
          { name: EMBEDDING_USER_INPUT, dtype: "float32", shape: ["B", DIM] },
          { name: EMBEDDING_ITEMS_INPUT, dtype: "int64", shape: ["N"] },
        ],
        outputs: [{ name: EMBEDDING_OUTPUT, dtype: "float32", shape: ["B", "N"] }],
      });
    });

    for (const runtime of RUNTIMES) {
      let loaded: Promise<LoadedModel> | undefined;

      for (const [batch, n] of [
        [1, 1],
        [3, 37],
      ] as const) {
        it(`${runtime.label} agrees with the TS reference for B=${batch}, N=${n}`, async () => {
          const rng = mulberry32(batch * 1000 + n);
          const users = randomNormalArray(rng, batch * DIM);
          const ids = randomIndexArray(rng, n, ITEMS);
          loaded ??= runtime.load(model.bytes);
          const session = await loaded;
          const result = (
            await session.run({
              [EMBEDDING_USER_INPUT]: { dtype: "float32", data: users, dims: [batch, DIM] },
              [EMBEDDING_ITEMS_INPUT]: { dtype: "int64", data: ids, dims: [n] },
            })
          )[EMBEDDING_OUTPUT]!;
          expect(result.dims).toEqual([batch, n]);
          // Gather → DequantizeLinear (or Cast → Mul) reproduces the reference's dequantized rows exactly,
          // so every runtime and quantization agrees with its own reference to float rounding.
          expect(maxAbsDiff(result.data, reference(users, batch, ids))).toBeLessThanOrEqual(FLOAT32_SLACK);
          if (options.quantize === "int8") {
            const bound = embeddingBound(options, { actual: "int8", baseline: "float32" }, users, batch, ids);
            expect(outOfBound(result.data, float32Reference(users, batch, ids), bound)).toEqual([]);
          }
        });
      }
    }
  });
}

describe("embedding scorer scale granularity", () => {
  it("per-row scales score a skewed table closer to float32 than one per-tensor scale", () => {
    const rng = mulberry32(5);
    const users = randomNormalArray(rng, 4 * DIM);
    const ids = randomIndexArray(rng, 200, ITEMS);
    const exact = float32Reference(users, 4, ids);
    const perTensor = createEmbeddingReference(VARIANTS[1]!.options)(users, 4, ids);
    const perRow = createEmbeddingReference(VARIANTS[2]!.options)(users, 4, ids);
    expect(maxAbsDiff(perRow, exact)).toBeLessThan(maxAbsDiff(perTensor, exact));
  });

  it("rejects item ids outside the table in the reference instead of reading past it", () => {
    const users = new Float32Array(DIM);
    expect(() => float32Reference(users, 1, BigInt64Array.of(BigInt(ITEMS)))).toThrow(RangeError);
  });
});

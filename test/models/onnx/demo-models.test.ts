import { describe, expect, it } from "vitest";
import {
  buildDemoModels,
  buildEmbeddingScorer,
  buildMlpScorer,
  createEmbeddingReference,
  createMlpReference,
  DEMO_BEHAVIOUR,
  DEMO_ITEM_SCORER,
  EMBEDDING_ITEMS_INPUT,
  EMBEDDING_OUTPUT,
  EMBEDDING_USER_INPUT,
  MLP_INPUT,
  MLP_OUTPUT,
} from "../../../models/onnx/index.ts";
import { mulberry32, randomIndexArray, randomNormalArray } from "../../../models/random.ts";
import { FLOAT32_SLACK } from "./helpers/error-bounds.ts";
import { maxAbsDiff, RUNTIMES } from "./helpers/runtimes.ts";

const web = RUNTIMES.find((r) => r.label.startsWith("onnxruntime-web"))!;

describe("buildDemoModels", () => {
  const demo = buildDemoModels(42);

  it("builds identical bytes from the same seed and different bytes from another seed", () => {
    const again = buildDemoModels(42);
    const other = buildDemoModels(43);
    expect(again.behaviour.bytes).toEqual(demo.behaviour.bytes);
    expect(again.itemScorer.bytes).toEqual(demo.itemScorer.bytes);
    expect(other.behaviour.bytes).not.toEqual(demo.behaviour.bytes);
    expect(other.itemScorer.bytes).not.toEqual(demo.itemScorer.bytes);
  });

  it("has the behaviour model shape 16 → 32 relu → 1 sigmoid and a 1000 × 32 item table, both int8", () => {
    expect(demo.behaviour.io.inputs[0]!.shape).toEqual(["N", DEMO_BEHAVIOUR.inputDim]);
    expect(demo.behaviour.options.layers.map((l) => [l.in, l.out])).toEqual([
      [16, 32],
      [32, 1],
    ]);
    expect(demo.behaviour.io.outputs[0]!.shape).toEqual(["N", 1]);
    expect(demo.itemScorer.options.items * demo.itemScorer.options.dim).toBe(
      DEMO_ITEM_SCORER.items * DEMO_ITEM_SCORER.dim,
    );
    expect([demo.behaviour.quantization, demo.itemScorer.quantization]).toEqual(["int8", "int8"]);
  });

  it("stores the int8 item table in under a third of the float32 model's bytes", () => {
    const float32 = buildEmbeddingScorer({ ...demo.itemScorer.options, quantize: "float32" });
    expect(demo.itemScorer.bytes.length * 3).toBeLessThan(float32.bytes.length);
    // The MLP is mostly graph structure at this size, so the saving is smaller but still there.
    const mlpFloat32 = buildMlpScorer({ ...demo.behaviour.options, quantize: "float32" });
    expect(demo.behaviour.bytes.length).toBeLessThan(mlpFloat32.bytes.length);
  });

  it("serves propensities in (0, 1) from onnxruntime-web that match the TS reference", async () => {
    const rows = 37;
    const x = randomNormalArray(mulberry32(1), rows * DEMO_BEHAVIOUR.inputDim);
    const session = await web.load(demo.behaviour.bytes);
    const feeds = {
      [MLP_INPUT]: { dtype: "float32", data: x, dims: [rows, DEMO_BEHAVIOUR.inputDim] },
    } as const;
    const score = (await session.run(feeds))[MLP_OUTPUT]!;
    expect(score.data.every((p) => p > 0 && p < 1)).toBe(true);
    expect(maxAbsDiff(score.data, createMlpReference(demo.behaviour.options)(x, rows))).toBeLessThanOrEqual(
      FLOAT32_SLACK,
    );
  });

  it("scores candidate items from onnxruntime-web that match the TS reference", async () => {
    const rng = mulberry32(2);
    const user = randomNormalArray(rng, DEMO_ITEM_SCORER.dim);
    const ids = randomIndexArray(rng, 100, DEMO_ITEM_SCORER.items);
    const session = await web.load(demo.itemScorer.bytes);
    const scores = (
      await session.run({
        [EMBEDDING_USER_INPUT]: { dtype: "float32", data: user, dims: [1, DEMO_ITEM_SCORER.dim] },
        [EMBEDDING_ITEMS_INPUT]: { dtype: "int64", data: ids, dims: [ids.length] },
      })
    )[EMBEDDING_OUTPUT]!;
    expect(scores.dims).toEqual([1, 100]);
    const expected = createEmbeddingReference(demo.itemScorer.options)(user, 1, ids);
    expect(maxAbsDiff(scores.data, expected)).toBeLessThanOrEqual(FLOAT32_SLACK);
  });
});

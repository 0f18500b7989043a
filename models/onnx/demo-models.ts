/**
 * Deterministic demo models so `npm start` and the Worker's tests have something real to serve before any
 * training has run. Same seed, same bytes, in Node and in workerd. The weights are random (He-initialised),
 * not trained: they exercise shapes, quantization and the serving path, not recommendation quality.
 */
import { mulberry32, randomNormalArray } from "../random.ts";
import type { DenseLayer } from "./dense-layer.ts";
import { buildEmbeddingScorer, type EmbeddingScorerOptions } from "./embedding-scorer.ts";
import { buildMlpScorer, type MlpScorerOptions } from "./mlp-scorer.ts";
import type { BuiltModel } from "./model-io.ts";

export const DEMO_BEHAVIOUR = { name: "demo-behaviour", inputDim: 16, hiddenDim: 32 } as const;
export const DEMO_ITEM_SCORER = { name: "demo-item-scorer", items: 1000, dim: 32 } as const;
export const DEMO_MODEL_VERSION = "1";

/** A built demo model with the options it was built from (feed them to the reference forward passes). */
export interface DemoModel<Options> extends BuiltModel {
  name: string;
  version: string;
  options: Options;
}

export interface DemoModels {
  /** features float32 [N, 16] → 32 relu → score float32 [N, 1] (sigmoid), int8 weights. */
  behaviour: DemoModel<MlpScorerOptions>;
  /** user float32 [B, 32], item_ids int64 [N] → scores float32 [B, N], int8 table of 1000 × 32. */
  itemScorer: DemoModel<EmbeddingScorerOptions>;
}

function heLayer(rng: () => number, inDim: number, outDim: number): DenseLayer {
  return {
    weights: randomNormalArray(rng, inDim * outDim, Math.sqrt(2 / inDim)),
    bias: randomNormalArray(rng, outDim, 0.05),
    in: inDim,
    out: outDim,
  };
}

export function buildDemoModels(seed: number): DemoModels {
  const rng = mulberry32(seed);
  const { inputDim, hiddenDim } = DEMO_BEHAVIOUR;
  const behaviourOptions: MlpScorerOptions = {
    layers: [heLayer(rng, inputDim, hiddenDim), heLayer(rng, hiddenDim, 1)],
    activation: "relu",
    output: "sigmoid",
    quantize: "int8",
    name: DEMO_BEHAVIOUR.name,
    version: DEMO_MODEL_VERSION,
  };
  const { items, dim } = DEMO_ITEM_SCORER;
  const itemScorerOptions: EmbeddingScorerOptions = {
    // std 1/√dim keeps a dot product with a unit-scale user vector O(1), like a trained two-tower model.
    itemTable: randomNormalArray(rng, items * dim, 1 / Math.sqrt(dim)),
    items,
    dim,
    quantize: "int8",
    name: DEMO_ITEM_SCORER.name,
    version: DEMO_MODEL_VERSION,
  };
  return {
    behaviour: {
      ...buildMlpScorer(behaviourOptions),
      name: DEMO_BEHAVIOUR.name,
      version: DEMO_MODEL_VERSION,
      options: behaviourOptions,
    },
    itemScorer: {
      ...buildEmbeddingScorer(itemScorerOptions),
      name: DEMO_ITEM_SCORER.name,
      version: DEMO_MODEL_VERSION,
      options: itemScorerOptions,
    },
  };
}

import { MODEL_NAMES } from "../../../models/contracts/index.ts";
import type { BuiltModel, Quantization } from "../../../models/onnx/index.ts";
import { extractTextFeatureRows } from "../../../models/text/index.ts";
import type { ReleaseModel } from "../../release/index.ts";
import { exportSparseLogisticModel, predictSparseWithOnnx } from "../linear/index.ts";
import type { SentimentModel } from "./train-sentiment.ts";

/**
 * The sentiment model as ONNX: inputs "feature_indices" int32 and "feature_values" float32 [N, K] (a text's
 * hashed features from models/text, padded per batch), output "probabilities" [N, 1] = P(positive). Int8
 * stores one byte per bucket (64 KB at 2^16 buckets) with one scale; the TextFeatureSpec must travel with
 * it (the manifest) so the edge hashes identically.
 */
export function exportSentimentModel(
  model: SentimentModel,
  quantize: Quantization,
  version = "0",
): BuiltModel {
  return exportSparseLogisticModel(model.classifier, quantize, { name: MODEL_NAMES.sentiment, version });
}

/** The model as a release publishes it: its bytes, with the feature spec the edge hashes texts by. */
export function sentimentReleaseModel(
  model: SentimentModel,
  quantize: Quantization,
  version: string,
  metrics?: Record<string, number>,
): ReleaseModel {
  return {
    ...exportSentimentModel(model, quantize, version),
    name: MODEL_NAMES.sentiment,
    version,
    preprocessing: { kind: "text-features", spec: model.spec },
    ...(metrics ? { metrics } : {}),
  };
}

export async function predictSentimentWithOnnx(
  built: BuiltModel,
  model: SentimentModel,
  texts: readonly string[],
): Promise<Float32Array> {
  return predictSparseWithOnnx(built, extractTextFeatureRows(texts, model.spec));
}

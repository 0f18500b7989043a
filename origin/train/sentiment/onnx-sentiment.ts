import type { BuiltModel, Quantization } from "../../../models/onnx/index.ts";
import { extractTextFeatureRows } from "../../../models/text/index.ts";
import { exportLogisticModel, predictWithOnnx } from "../linear/index.ts";
import type { SentimentModel } from "./train-sentiment.ts";

/**
 * The sentiment model as ONNX: input "features" [N, 2^hashBits] (the hashed vector from models/text, dense),
 * output "probabilities" [N, 1] = P(positive). Int8 stores one byte per bucket (64 KB at 2^16 buckets) with
 * one scale; the TextFeatureSpec must travel with it (the manifest) so the edge hashes identically.
 */
export function exportSentimentModel(
  model: SentimentModel,
  quantize: Quantization,
  version = "0",
): BuiltModel {
  return exportLogisticModel(model.classifier, quantize, { name: "sentiment", version });
}

export async function predictSentimentWithOnnx(
  built: BuiltModel,
  model: SentimentModel,
  texts: readonly string[],
): Promise<Float32Array> {
  return predictWithOnnx(built, extractTextFeatureRows(texts, model.spec));
}

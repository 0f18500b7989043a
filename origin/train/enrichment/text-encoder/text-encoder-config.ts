import { ConfigError, type OriginConfig } from "../../../config.ts";
import { requireOnnxRuntimeNode } from "../onnx-runtime.ts";
import type { TextEncoder, TextEncoderSpec } from "./onnx-text-encoder.ts";

/** The text encoder TEXT_ENCODER_* describe, or undefined without TEXT_ENCODER_MODEL. */
export function textEncoderSpec(
  config: Pick<
    OriginConfig,
    | "TEXT_ENCODER_MODEL"
    | "TEXT_ENCODER_VOCAB"
    | "TEXT_ENCODER_MAX_TOKENS"
    | "TEXT_ENCODER_LOWERCASE"
    | "TEXT_ENCODER_POOLING"
  >,
): TextEncoderSpec | undefined {
  if (config.TEXT_ENCODER_MODEL === undefined) {
    return undefined;
  }
  requireOnnxRuntimeNode("TEXT_ENCODER_MODEL");
  if (config.TEXT_ENCODER_VOCAB === undefined) {
    throw new ConfigError("invalid origin configuration", [
      "TEXT_ENCODER_VOCAB: the text encoder's vocab.txt is needed with TEXT_ENCODER_MODEL",
    ]);
  }
  return {
    modelPath: config.TEXT_ENCODER_MODEL,
    vocabPath: config.TEXT_ENCODER_VOCAB,
    maxTokens: config.TEXT_ENCODER_MAX_TOKENS,
    lowercase: config.TEXT_ENCODER_LOWERCASE,
    pooling: config.TEXT_ENCODER_POOLING,
  };
}

/** An encoder whose model, vocabulary and ORT load on the first `encode`. */
export function lazyTextEncoder(spec: TextEncoderSpec): TextEncoder {
  let loaded: Promise<TextEncoder> | undefined;
  return {
    name: `onnx:${spec.modelPath}`,
    async encode(texts) {
      loaded ??= import("./onnx-text-encoder.ts").then(({ loadOnnxTextEncoder }) =>
        loadOnnxTextEncoder(spec),
      );
      return (await loaded).encode(texts);
    },
  };
}

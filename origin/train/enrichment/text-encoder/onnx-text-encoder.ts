import { readFile } from "node:fs/promises";
import type { InferenceSession, Tensor } from "onnxruntime-node";
import { loadOnnxRuntimeNode } from "../onnx-runtime.ts";
import { encodeBatch, parseVocabulary, type WordPieceSpec } from "./wordpiece-tokenizer.ts";

/** The operator's text encoder and its tokenizer spec (TEXT_ENCODER_*). */
export interface TextEncoderSpec {
  modelPath: string;
  /** the model's WordPiece vocab.txt */
  vocabPath: string;
  maxTokens: number;
  lowercase: boolean;
  /**
   * How a [N, tokens, D] output becomes one vector per text: `mean` over real tokens (sentence-transformers),
   * or `cls` (the first token). A [N, D] output is used as it is.
   */
  pooling: "mean" | "cls";
}

/** Turns texts into fixed-width vectors; one per text, in order. */
export interface TextEncoder {
  name: string;
  encode(texts: readonly string[]): Promise<Float32Array[]>;
}

/**
 * A BERT-style ONNX text encoder run by onnxruntime-node: texts are WordPiece-tokenized to the spec, the
 * model's inputs named `input_ids`, `attention_mask` and `token_type_ids` (zeros) are fed, and its first
 * output is pooled per the spec. `model` and `vocabulary` replace reading the spec's files (tests).
 */
export async function loadOnnxTextEncoder(
  spec: TextEncoderSpec,
  overrides: { model?: Uint8Array; vocabulary?: Map<string, number> } = {},
): Promise<TextEncoder> {
  // loaded on demand: a run without a text encoder never loads ORT's native library
  const ort = await loadOnnxRuntimeNode("TEXT_ENCODER_MODEL");
  const vocabulary = overrides.vocabulary ?? parseVocabulary(await readFile(spec.vocabPath, "utf8"));
  const session: InferenceSession = await ort.InferenceSession.create(
    overrides.model ?? new Uint8Array(await readFile(spec.modelPath)),
  );
  const known = new Set(["input_ids", "attention_mask", "token_type_ids"]);
  const unknown = session.inputNames.filter((name) => !known.has(name));
  if (unknown.length > 0 || !session.inputNames.includes("input_ids")) {
    throw new Error(
      `text encoder ${spec.modelPath}: inputs ${session.inputNames.join(", ")}; expected input_ids and optionally attention_mask, token_type_ids`,
    );
  }
  const tokenizer: WordPieceSpec = { vocabulary, maxTokens: spec.maxTokens, lowercase: spec.lowercase };
  return {
    name: `onnx:${spec.modelPath}`,
    async encode(texts) {
      if (texts.length === 0) {
        return [];
      }
      const batch = encodeBatch(texts, tokenizer);
      const dims = [texts.length, spec.maxTokens];
      const feeds: Record<string, Tensor> = {};
      for (const name of session.inputNames) {
        const data =
          name === "input_ids"
            ? batch.inputIds
            : name === "attention_mask"
              ? batch.attentionMask
              : new BigInt64Array(batch.inputIds.length);
        feeds[name] = new ort.Tensor("int64", data, dims);
      }
      const output = (await session.run(feeds))[session.outputNames[0]!]!;
      return poolOutput(output.data as Float32Array, output.dims, batch.attentionMask, spec.pooling);
    },
  };
}

/** One vector per text from an [N, D] or [N, tokens, D] output. */
export function poolOutput(
  data: Float32Array,
  dims: readonly number[],
  mask: BigInt64Array,
  pooling: TextEncoderSpec["pooling"],
): Float32Array[] {
  const n = dims[0]!;
  if (dims.length === 2) {
    const d = dims[1]!;
    return Array.from({ length: n }, (_, t) => data.slice(t * d, (t + 1) * d));
  }
  if (dims.length !== 3) {
    throw new Error(`text encoder output of shape [${dims.join(", ")}]: expected [N, D] or [N, tokens, D]`);
  }
  const tokens = dims[1]!;
  const d = dims[2]!;
  return Array.from({ length: n }, (_, t) => {
    const out = new Float32Array(d);
    if (pooling === "cls") {
      out.set(data.subarray(t * tokens * d, t * tokens * d + d));
      return out;
    }
    let count = 0;
    for (let p = 0; p < tokens; p++) {
      if (mask[t * tokens + p] === 1n) {
        count++;
        for (let j = 0; j < d; j++) {
          out[j]! += data[(t * tokens + p) * d + j]!;
        }
      }
    }
    for (let j = 0; j < d; j++) {
      out[j]! /= Math.max(1, count);
    }
    return out;
  });
}

import { describe, expect, it } from "vitest";
import { GraphBuilder, serializeModel } from "../../../../../models/onnx/index.ts";
import { mulberry32, randomNormalArray } from "../../../../../models/random.ts";
import { ConfigError, loadOriginConfig } from "../../../../../origin/config.ts";
import { contentOptions } from "../../../../../origin/train/enrichment/index.ts";
import {
  encodeBatch,
  encodeItemTexts,
  loadOnnxTextEncoder,
  parseVocabulary,
  type TextEncoderSpec,
  textEncoderSpec,
  tokenize,
} from "../../../../../origin/train/enrichment/text-encoder/index.ts";

const VOCAB = [
  "[PAD]",
  "[UNK]",
  "[CLS]",
  "[SEP]",
  "red",
  "garden",
  "hose",
  "##s",
  "cafe",
  "!",
  "run",
  "##ning",
];
const vocabulary = parseVocabulary(VOCAB.join("\n"));
const spec: TextEncoderSpec = {
  modelPath: "in-memory.onnx",
  vocabPath: "in-memory.txt",
  maxTokens: 8,
  lowercase: true,
  pooling: "mean",
};
const DIM = 6;

/** A token-embedding "encoder": Gather over a [vocab × DIM] table, then Tanh, as [N, tokens, DIM]. */
function tokenEncoder(table: Float32Array): Uint8Array {
  const graph = new GraphBuilder("token_encoder");
  graph.input("input_ids", "int64", ["N", "T"]);
  graph.input("attention_mask", "int64", ["N", "T"]);
  graph.float32("table", [VOCAB.length, DIM], table);
  graph.node("Gather", ["table", "input_ids"], ["embedded"], { axis: { int: 0 } });
  graph.node("Tanh", ["embedded"], ["last_hidden_state"]);
  graph.output("last_hidden_state", "float32", ["N", "T", DIM]);
  return serializeModel(graph, { name: "token-encoder", version: "test" });
}

describe("WordPiece tokenizer", () => {
  it("lower-cases, strips accents, splits punctuation and words into pieces, and adds [CLS] and [SEP]", () => {
    const ids = tokenize("Red Garden HOSES! Café running", { vocabulary, maxTokens: 16, lowercase: true });
    const tokens = ids.map((id) => VOCAB[id]);
    expect(tokens).toEqual(["[CLS]", "red", "garden", "hose", "##s", "!", "cafe", "run", "##ning", "[SEP]"]);
  });

  it("marks a word it cannot piece together [UNK], truncates and pads", () => {
    const batch = encodeBatch(["zebra red", "red garden hose red garden hose red"], {
      vocabulary,
      maxTokens: 5,
      lowercase: true,
    });
    expect(Array.from(batch.inputIds.subarray(0, 5), Number)).toEqual([2, 1, 4, 3, 0]);
    expect(Array.from(batch.attentionMask.subarray(0, 5), Number)).toEqual([1, 1, 1, 1, 0]);
    expect(Array.from(batch.inputIds.subarray(5), Number)).toEqual([2, 4, 5, 6, 3]);
  });

  it("refuses a vocabulary without the special tokens", () => {
    expect(() => parseVocabulary("red\ngarden")).toThrow(/\[PAD\], \[UNK\], \[CLS\], \[SEP\]/);
  });
});

describe("ONNX text encoder", () => {
  it("matches a TypeScript mean-pooling of the same token table through onnxruntime-node", async () => {
    const table = randomNormalArray(mulberry32(2), VOCAB.length * DIM, 1);
    const encoder = await loadOnnxTextEncoder(spec, { model: tokenEncoder(table), vocabulary });
    const texts = ["red garden hoses", "running!", "zebra"];
    const vectors = await encoder.encode(texts);
    for (const [t, text] of texts.entries()) {
      const ids = tokenize(text, { vocabulary, maxTokens: spec.maxTokens, lowercase: true });
      const expected = new Float32Array(DIM);
      for (const id of ids) {
        for (let d = 0; d < DIM; d++) {
          expected[d]! += Math.tanh(table[id * DIM + d]!) / ids.length;
        }
      }
      for (let d = 0; d < DIM; d++) {
        expect(vectors[t]![d]).toBeCloseTo(expected[d]!, 5);
      }
    }
    const cls = await loadOnnxTextEncoder(
      { ...spec, pooling: "cls" },
      { model: tokenEncoder(table), vocabulary },
    );
    const [first] = await cls.encode(["red garden"]);
    expect(first![0]).toBeCloseTo(Math.tanh(table[2 * DIM]!), 5);
  });

  it("refuses a model whose inputs it cannot feed", async () => {
    const graph = new GraphBuilder("odd");
    graph.input("pixels", "float32", ["N", 3]);
    graph.node("Relu", ["pixels"], ["out"]);
    graph.output("out", "float32", ["N", 3]);
    const model = serializeModel(graph, { name: "odd", version: "test" });
    await expect(loadOnnxTextEncoder(spec, { model, vocabulary })).rejects.toThrow(/expected input_ids/);
  });
});

describe("item texts through the encoder", () => {
  it("encodes title, text and categories, leaves a text-less item zero and counts a failing batch", async () => {
    const table = randomNormalArray(mulberry32(3), VOCAB.length * DIM, 1);
    const encoder = await loadOnnxTextEncoder(spec, { model: tokenEncoder(table), vocabulary });
    const embeddings = await encodeItemTexts(
      [{ itemId: "a", title: "Red hose", categories: ["garden"] }, { itemId: "b" }],
      encoder,
    );
    expect(embeddings).toMatchObject({ dim: DIM, encoded: 1, failed: 0 });
    const [direct] = await encoder.encode(["Red hose. garden"]);
    expect(Array.from(embeddings.vectors.subarray(0, DIM))).toEqual(Array.from(direct!));
    expect(Array.from(embeddings.vectors.subarray(DIM)).every((v) => v === 0)).toBe(true);
    const broken = { name: "broken", encode: () => Promise.reject(new Error("no")) };
    expect(await encodeItemTexts([{ itemId: "a", title: "red" }], broken)).toMatchObject({
      encoded: 0,
      failed: 1,
    });
  });

  it("reads TEXT_ENCODER_* and needs the vocabulary with the model", () => {
    expect(textEncoderSpec(loadOriginConfig({}))).toBeUndefined();
    const config = loadOriginConfig({
      TEXT_ENCODER_MODEL: "/models/minilm.onnx",
      TEXT_ENCODER_VOCAB: "/models/vocab.txt",
      TEXT_ENCODER_MAX_TOKENS: "64",
      TEXT_ENCODER_LOWERCASE: "false",
      TEXT_ENCODER_POOLING: "cls",
    });
    expect(textEncoderSpec(config)).toEqual({
      modelPath: "/models/minilm.onnx",
      vocabPath: "/models/vocab.txt",
      maxTokens: 64,
      lowercase: false,
      pooling: "cls",
    });
    expect(contentOptions(config).textEncoder?.name).toBe("onnx:/models/minilm.onnx");
    expect(() => textEncoderSpec(loadOriginConfig({ TEXT_ENCODER_MODEL: "/m.onnx" }))).toThrow(ConfigError);
    expect(() => loadOriginConfig({ TEXT_ENCODER_POOLING: "max" })).toThrow(/TEXT_ENCODER_POOLING/);
  });
});

export { encodeItemTexts, type TextEmbeddings } from "./encode-item-texts.ts";
export {
  loadOnnxTextEncoder,
  poolOutput,
  type TextEncoder,
  type TextEncoderSpec,
} from "./onnx-text-encoder.ts";
export { lazyTextEncoder, textEncoderSpec } from "./text-encoder-config.ts";
export {
  type EncodedBatch,
  encodeBatch,
  parseVocabulary,
  tokenize,
  type WordPieceSpec,
} from "./wordpiece-tokenizer.ts";

/**
 * models/text: tokenizer, feature hashing, lexicon and sentiment cues, shared by the origin's trainers and
 * the edge (runs unchanged in Node and workerd: no Node APIs).
 */
export { hashPair, murmur3, murmur3Codes } from "./feature-hash.ts";
export { type LexiconScore, lexiconComparative, scoreLexicon } from "./lexicon.ts";
export {
  SENTIMENT_CUE_COUNT,
  SENTIMENT_CUE_NAMES,
  sentimentCues,
  tokenValence,
} from "./sentiment-cues.ts";
export {
  DEFAULT_TEXT_FEATURES,
  extractTextFeatureRows,
  extractTextFeatures,
  hashedFeatureOffset,
  TextFeatureSpec,
  textFeatureDim,
} from "./text-features.ts";
export {
  isPunctuation,
  NEGATION_SCOPE_WORDS,
  NEGATORS,
  negationMask,
  normalizeText,
  type Tokens,
  tokenize,
  tokenizeText,
} from "./tokenize.ts";

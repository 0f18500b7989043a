/**
 * models/text: tokenizer, feature hashing and lexicon, shared by the origin's trainers and the edge (runs
 * unchanged in Node and workerd: no Node APIs).
 */
export { murmur3 } from "./feature-hash.ts";
export { type LexiconScore, lexiconComparative, scoreLexicon } from "./lexicon.ts";
export {
  DEFAULT_TEXT_FEATURES,
  extractTextFeatureRows,
  extractTextFeatures,
  TextFeatureSpec,
  textFeatureDim,
} from "./text-features.ts";
export {
  isPunctuation,
  NEGATION_SCOPE_WORDS,
  NEGATORS,
  negationMask,
  normalizeText,
  tokenize,
} from "./tokenize.ts";

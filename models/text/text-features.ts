import { z } from "zod";
import { type SparseRows, type SparseVector, stackSparse } from "../features/sparse-rows.ts";
import { hashPair, murmur3, murmur3Codes } from "./feature-hash.ts";
import { SENTIMENT_CUE_COUNT, sentimentCues } from "./sentiment-cues.ts";
import { isPunctuation, negationMask, type Tokens, tokenizeText } from "./tokenize.ts";

/**
 * How a text becomes a sparse vector of 2^hashBits: shipped with the model (in the manifest) so the edge
 * computes what the trainer did.
 * - With `cues`, indices [0, SENTIMENT_CUE_COUNT) hold the rule-based sentiment cues (sentiment-cues.ts):
 *   negation, intensifiers, contrast, emphasis, emoticons, over the AFINN lexicon.
 * - The other indices hold hashed features, each family with its own seed: word unigrams (marked when
 *   inside a negation scope, so "not good" is its own feature), word n-grams 2..wordNgrams within a
 *   clause, and character n-grams charNgramMin..charNgramMax of each word wrapped in < > (fastText's
 *   subwords: misspellings and unseen inflections; 0 = none).
 * A hashed feature is present or not (binary, as NB-SVM uses them), and each family is scaled to unit L2
 * norm so that a three-word sentence and a 300-word review land on one scale: a feature's value is
 * 1/√(distinct buckets of its family in the text). Features of two families that share a bucket add up.
 */
export const TextFeatureSpec = z.object({
  hashBits: z.number().int().min(8).max(22),
  wordNgrams: z.number().int().min(1).max(3),
  charNgramMin: z.number().int().min(0).max(8),
  charNgramMax: z.number().int().min(0).max(8),
  cues: z.boolean(),
});
export type TextFeatureSpec = z.infer<typeof TextFeatureSpec>;

export const DEFAULT_TEXT_FEATURES: TextFeatureSpec = {
  hashBits: 16,
  wordNgrams: 2,
  charNgramMin: 0,
  charNgramMax: 0,
  cues: true,
};

const SEED = { unigram: 0x5eed0001, ngram: 0x5eed0002, char: 0x5eed0003, negated: 0x5eed0005 } as const;

export function textFeatureDim(spec: TextFeatureSpec): number {
  return 2 ** spec.hashBits;
}

/** The first index of the hashed features (after the cues, when the spec has them). */
export function hashedFeatureOffset(spec: TextFeatureSpec): number {
  return spec.cues ? SENTIMENT_CUE_COUNT : 0;
}

/**
 * Per-isolate scratch, reused by every call so the hot path allocates only its result: the value per
 * bucket and whether it is listed yet, the family that last touched each bucket (a stamp that grows, so nothing needs clearing), and
 * the buckets touched. extractTextFeatures is synchronous, so no two calls ever share it.
 */
const scratch = {
  values: new Float64Array(0),
  listed: new Uint8Array(0),
  stamp: new Uint32Array(0),
  stampId: 0,
  touched: new Int32Array(1024) as Int32Array<ArrayBuffer>,
  touchedCount: 0,
  family: new Int32Array(1024) as Int32Array<ArrayBuffer>,
  familyCount: 0,
  codes: new Uint16Array(256),
  cues: new Float32Array(SENTIMENT_CUE_COUNT),
};

function prepare(dim: number): void {
  if (scratch.values.length !== dim) {
    scratch.values = new Float64Array(dim);
    scratch.listed = new Uint8Array(dim);
    scratch.stamp = new Uint32Array(dim);
    scratch.stampId = 0;
  }
  scratch.touchedCount = 0;
}

function startFamily(): void {
  scratch.familyCount = 0;
  scratch.stampId = (scratch.stampId + 1) >>> 0;
  if (scratch.stampId === 0) {
    // After 2^32 families the stamps wrap: clear them once and start again.
    scratch.stamp.fill(0);
    scratch.stampId = 1;
  }
}

function grown(array: Int32Array<ArrayBuffer>, count: number): Int32Array<ArrayBuffer> {
  if (count < array.length) {
    return array;
  }
  const next = new Int32Array(array.length * 2);
  next.set(array);
  return next;
}

/** Adds a bucket to the family being built (once, however often its features occur). */
function addToFamily(bucket: number): void {
  if (scratch.stamp[bucket] === scratch.stampId) {
    return;
  }
  scratch.stamp[bucket] = scratch.stampId;
  scratch.family = grown(scratch.family, scratch.familyCount);
  scratch.family[scratch.familyCount++] = bucket;
}

function addValue(bucket: number, value: number): void {
  if (scratch.listed[bucket] === 0) {
    scratch.listed[bucket] = 1;
    scratch.touched = grown(scratch.touched, scratch.touchedCount);
    scratch.touched[scratch.touchedCount++] = bucket;
  }
  scratch.values[bucket]! += value;
}

/** The family's buckets each get 1/√(their count). */
function closeFamily(): void {
  if (scratch.familyCount === 0) {
    return;
  }
  const value = 1 / Math.sqrt(scratch.familyCount);
  for (let i = 0; i < scratch.familyCount; i++) {
    addValue(scratch.family[i]!, value);
  }
}

/** The bucket of a hash, in [offset, dim): the low hashBits, folded past the cues (integer arithmetic). */
function hashedBucket(hash: number, offset: number, dim: number): number {
  return offset + ((hash & (dim - 1)) % (dim - offset));
}

/** Character n-grams of one word wrapped in < >, hashed straight from its code units. */
function addCharNgrams(token: string, spec: TextFeatureSpec, offset: number, dim: number): void {
  const length = token.length + 2;
  if (scratch.codes.length < length) {
    scratch.codes = new Uint16Array(length * 2);
  }
  const codes = scratch.codes;
  codes[0] = 60; // <
  for (let i = 0; i < token.length; i++) {
    codes[i + 1] = token.charCodeAt(i);
  }
  codes[length - 1] = 62; // >
  for (let n = spec.charNgramMin; n <= spec.charNgramMax; n++) {
    for (let s = 0; s + n <= length; s++) {
      addToFamily(hashedBucket(murmur3Codes(codes, s, s + n, SEED.char), offset, dim));
    }
  }
}

function extractTokens(text: Tokens, spec: TextFeatureSpec): SparseVector {
  const dim = textFeatureDim(spec);
  const offset = hashedFeatureOffset(spec);
  prepare(dim);
  const { tokens } = text;
  const hashes = new Uint32Array(tokens.length);
  for (let t = 0; t < tokens.length; t++) {
    hashes[t] = murmur3(tokens[t]!, SEED.unigram);
  }
  const negated = negationMask(tokens);
  startFamily();
  for (let t = 0; t < tokens.length; t++) {
    const hash = negated[t] ? hashPair(hashes[t]!, 1, SEED.negated) : hashes[t]!;
    addToFamily(hashedBucket(hash, offset, dim));
  }
  closeFamily();
  if (spec.wordNgrams > 1) {
    startFamily();
    for (let t = 0; t < tokens.length; t++) {
      if (isPunctuation(tokens[t]!)) {
        continue;
      }
      let gram = hashes[t]!;
      for (let n = 2; n <= spec.wordNgrams && t + n - 1 < tokens.length; n++) {
        if (isPunctuation(tokens[t + n - 1]!)) {
          break;
        }
        gram = hashPair(gram, hashes[t + n - 1]!, SEED.ngram);
        addToFamily(hashedBucket(gram, offset, dim));
      }
    }
    closeFamily();
  }
  if (spec.charNgramMin > 0 && spec.charNgramMax >= spec.charNgramMin) {
    startFamily();
    for (const token of tokens) {
      if (!isPunctuation(token)) {
        addCharNgrams(token, spec, offset, dim);
      }
    }
    closeFamily();
  }
  if (spec.cues) {
    sentimentCues(text, scratch.cues);
    for (let c = 0; c < SENTIMENT_CUE_COUNT; c++) {
      if (scratch.cues[c] !== 0) {
        addValue(c, scratch.cues[c]!);
      }
    }
  }
  const indices = scratch.touched.slice(0, scratch.touchedCount).sort();
  const values = new Float32Array(indices.length);
  for (let t = 0; t < indices.length; t++) {
    values[t] = scratch.values[indices[t]!]!;
    scratch.values[indices[t]!] = 0;
    scratch.listed[indices[t]!] = 0;
  }
  return { indices, values };
}

/** One text's features: sorted unique indices in [0, 2^hashBits) and their values. */
export function extractTextFeatures(text: string, spec: TextFeatureSpec): SparseVector {
  return extractTokens(tokenizeText(text), spec);
}

export function extractTextFeatureRows(texts: readonly string[], spec: TextFeatureSpec): SparseRows {
  return stackSparse(
    texts.map((text) => extractTextFeatures(text, spec)),
    textFeatureDim(spec),
  );
}

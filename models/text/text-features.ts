import { z } from "zod";
import { type SparseRows, type SparseVector, stackSparse } from "../features/sparse-rows.ts";
import { murmur3 } from "./feature-hash.ts";
import { scoreLexicon } from "./lexicon.ts";
import { isPunctuation, negationMask, tokenize } from "./tokenize.ts";

/**
 * How a text becomes a fixed-width vector; shipped with the model (in the manifest) so the edge hashes the
 * same way. Families, each hashed with its own seed and L2-normalised on its own so that a three-word
 * sentence and a 300-word review land on the same scale (the classifier trained on reviews must still read
 * "I love it"):
 * - unigrams, "not_"-prefixed inside a negation scope ("not good" → not_good);
 * - word n-grams 2..wordNgrams over raw words within a clause;
 * - character n-grams charNgramMin..charNgramMax of each word wrapped in < > (fastText's subwords), which
 *   carry misspellings and unseen inflections;
 * - optionally two lexicon features (AFINN positive and negative mass / √words).
 * Term weights are sublinear (1 + ln count). Each feature's bucket is hash & (2^hashBits − 1) and its sign the
 * hash's top bit (signed hashing: collisions cancel in expectation instead of adding up).
 */
export const TextFeatureSpec = z.object({
  hashBits: z.number().int().min(8).max(22),
  wordNgrams: z.number().int().min(1).max(3),
  charNgramMin: z.number().int().min(0).max(8),
  charNgramMax: z.number().int().min(0).max(8),
  lexicon: z.boolean(),
});
export type TextFeatureSpec = z.infer<typeof TextFeatureSpec>;

export const DEFAULT_TEXT_FEATURES: TextFeatureSpec = {
  hashBits: 16,
  wordNgrams: 2,
  charNgramMin: 3,
  charNgramMax: 5,
  lexicon: true,
};

const SEED = { unigram: 0x5eed0001, ngram: 0x5eed0002, char: 0x5eed0003, lexicon: 0x5eed0004 } as const;

export function textFeatureDim(spec: TextFeatureSpec): number {
  return 2 ** spec.hashBits;
}

function addFamily(
  counts: Map<string, number>,
  seed: number,
  mask: number,
  buckets: Map<number, number>,
): void {
  let norm = 0;
  for (const count of counts.values()) {
    const w = 1 + Math.log(count);
    norm += w * w;
  }
  if (norm === 0) {
    return;
  }
  const scale = 1 / Math.sqrt(norm);
  for (const [feature, count] of counts) {
    const h = murmur3(feature, seed);
    const bucket = h & mask;
    const signed = (h >>> 31 === 1 ? -1 : 1) * (1 + Math.log(count)) * scale;
    buckets.set(bucket, (buckets.get(bucket) ?? 0) + signed);
  }
}

function bump(counts: Map<string, number>, feature: string): void {
  counts.set(feature, (counts.get(feature) ?? 0) + 1);
}

export function extractTextFeatures(text: string, spec: TextFeatureSpec): SparseVector {
  const tokens = tokenize(text);
  const negated = negationMask(tokens);
  const mask = textFeatureDim(spec) - 1;
  const unigrams = new Map<string, number>();
  const ngrams = new Map<string, number>();
  const chars = new Map<string, number>();
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    bump(unigrams, negated[t] ? `not_${token}` : token);
    if (isPunctuation(token)) {
      continue;
    }
    let gram = token;
    for (let n = 2; n <= spec.wordNgrams && t + n - 1 < tokens.length; n++) {
      const next = tokens[t + n - 1]!;
      if (isPunctuation(next)) {
        break;
      }
      gram = `${gram} ${next}`;
      bump(ngrams, gram);
    }
    if (spec.charNgramMin > 0) {
      const wrapped = `<${token}>`;
      for (let n = spec.charNgramMin; n <= spec.charNgramMax; n++) {
        for (let s = 0; s + n <= wrapped.length; s++) {
          bump(chars, wrapped.slice(s, s + n));
        }
      }
    }
  }
  const buckets = new Map<number, number>();
  addFamily(unigrams, SEED.unigram, mask, buckets);
  addFamily(ngrams, SEED.ngram, mask, buckets);
  addFamily(chars, SEED.char, mask, buckets);
  if (spec.lexicon) {
    const score = scoreLexicon(tokens);
    const per = score.words === 0 ? 0 : 1 / Math.sqrt(score.words);
    for (const [name, value] of [
      ["lexicon:positive", score.positive * per],
      ["lexicon:negative", score.negative * per],
    ] as const) {
      if (value !== 0) {
        const bucket = murmur3(name, SEED.lexicon) & mask;
        buckets.set(bucket, (buckets.get(bucket) ?? 0) + value);
      }
    }
  }
  const indices = Int32Array.from(buckets.keys()).sort();
  const values = new Float32Array(indices.length);
  for (let t = 0; t < indices.length; t++) {
    values[t] = buckets.get(indices[t]!)!;
  }
  return { indices, values };
}

export function extractTextFeatureRows(texts: readonly string[], spec: TextFeatureSpec): SparseRows {
  return stackSparse(
    texts.map((text) => extractTextFeatures(text, spec)),
    textFeatureDim(spec),
  );
}

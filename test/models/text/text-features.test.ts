import { describe, expect, it } from "vitest";
import {
  DEFAULT_TEXT_FEATURES,
  extractTextFeatures,
  murmur3,
  negationMask,
  scoreLexicon,
  tokenize,
} from "../../../models/text/index.ts";

describe("tokenizer", () => {
  it("lower-cases, drops HTML tags and entities, and keeps clause punctuation", () => {
    expect(tokenize("Great<br />snack &amp; TEA!")).toEqual(["great", "snack", "tea", "!"]);
  });

  it("splits n't off as 'not' and straightens curly apostrophes", () => {
    expect(tokenize("I don’t like it, it's bad")).toEqual([
      "i",
      "do",
      "not",
      "like",
      "it",
      ",",
      "it's",
      "bad",
    ]);
  });

  it("marks at most three words after a negator, stopping at punctuation", () => {
    const tokens = tokenize("not very good at all. great");
    // not | very good at (3 words) | all | . | great
    expect(Array.from(negationMask(tokens))).toEqual([0, 1, 1, 1, 0, 0, 0]);
    expect(Array.from(negationMask(tokenize("no, good")))).toEqual([0, 0, 0]);
  });
});

describe("feature hashing", () => {
  it("is deterministic and depends on the seed", () => {
    expect(murmur3("coffee", 1)).toBe(murmur3("coffee", 1));
    expect(murmur3("coffee", 1)).not.toBe(murmur3("coffee", 2));
    expect(murmur3("coffee", 1)).not.toBe(murmur3("coffeE", 1));
  });

  it("spreads 20,000 distinct strings evenly over 64 buckets", () => {
    const counts = new Array(64).fill(0);
    for (let i = 0; i < 20_000; i++) {
      counts[murmur3(`word${i}`, 7) & 63]++;
    }
    // expected 312.5 per bucket; chi-square with 63 degrees of freedom stays far below 120 for a sound hash
    const chi2 = counts.reduce((s, c) => s + (c - 312.5) ** 2 / 312.5, 0);
    expect(chi2).toBeLessThan(120);
  });

  it("gives each feature family unit L2 norm, so short and long texts share one scale", () => {
    const spec = { ...DEFAULT_TEXT_FEATURES, lexicon: false, charNgramMin: 0, wordNgrams: 1 };
    for (const text of ["tasty", "tasty tasty snack and a very good tea with milk"]) {
      const v = extractTextFeatures(text, spec);
      const norm = Math.hypot(...v.values);
      // one family (unigrams): norm 1 unless two features collide in a bucket (not at these sizes)
      expect(norm).toBeCloseTo(1, 5);
    }
  });

  it("returns sorted unique bucket indices within the hash width", () => {
    const v = extractTextFeatures("Not bad at all, really tasty!", DEFAULT_TEXT_FEATURES);
    for (let t = 1; t < v.indices.length; t++) {
      expect(v.indices[t]!).toBeGreaterThan(v.indices[t - 1]!);
    }
    expect(v.indices[v.indices.length - 1]!).toBeLessThan(2 ** DEFAULT_TEXT_FEATURES.hashBits);
  });
});

describe("AFINN lexicon", () => {
  it("sums valences and flips them in a negation scope", () => {
    // love +3, terrible -3; "not good": good +3 flipped to -3
    expect(scoreLexicon(tokenize("I love it"))).toEqual({ positive: 3, negative: 0, words: 3 });
    expect(scoreLexicon(tokenize("terrible, not good"))).toEqual({ positive: 0, negative: 6, words: 3 });
  });
});

import { describe, expect, it } from "vitest";
import {
  DEFAULT_TEXT_FEATURES,
  extractTextFeatures,
  hashedFeatureOffset,
  murmur3,
  murmur3Codes,
  negationMask,
  SENTIMENT_CUE_COUNT,
  SENTIMENT_CUE_NAMES,
  scoreLexicon,
  sentimentCues,
  tokenize,
  tokenizeText,
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

  it("keeps emoticons and emoji as tokens, but not the colon of a URL or a ratio", () => {
    expect(tokenize("Nice :) but sad :-( <3 😍")).toEqual(["nice", ":)", "but", "sad", ":-(", "<3", "😍"]);
    expect(tokenize("see http://x.org at 3:1")).toEqual([
      "see",
      "http",
      ":",
      "x",
      ".",
      "org",
      "at",
      "3",
      ":",
      "1",
    ]);
  });

  it("flags words in capitals, not single letters or lower case", () => {
    const { tokens, shouted } = tokenizeText("I LOVE it, it is GREAT but DON'T wait");
    expect(tokens.filter((_, t) => shouted[t] === 1)).toEqual(["love", "great", "do", "not"]);
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

  it("hashes a range of code units as it hashes the same string", () => {
    const codes = Uint16Array.from("<coffee>", (ch) => ch.charCodeAt(0));
    expect(murmur3Codes(codes, 1, 7, 9)).toBe(murmur3("coffee", 9));
    expect(murmur3Codes(codes, 0, 3, 9)).toBe(murmur3("<co", 9));
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
});

describe("text features", () => {
  it("gives each n-gram family unit L2 norm whatever the text's length, each feature counted once", () => {
    const spec = { ...DEFAULT_TEXT_FEATURES, cues: false, wordNgrams: 1 };
    for (const text of ["tasty", "tasty tasty snack and a very good tea with milk"]) {
      const v = extractTextFeatures(text, spec);
      expect(Math.hypot(...v.values)).toBeCloseTo(1, 5);
    }
    // "tasty tasty snack": two distinct words, so 1/√2 each
    expect(Array.from(extractTextFeatures("tasty tasty snack", spec).values)).toEqual([
      Math.fround(Math.SQRT1_2),
      Math.fround(Math.SQRT1_2),
    ]);
  });

  it("puts the cues first and every hashed feature after them, sorted and within the width", () => {
    const v = extractTextFeatures("Not bad at all, REALLY tasty!", {
      ...DEFAULT_TEXT_FEATURES,
      charNgramMin: 3,
      charNgramMax: 5,
    });
    const offset = hashedFeatureOffset(DEFAULT_TEXT_FEATURES);
    expect(offset).toBe(SENTIMENT_CUE_COUNT);
    for (let t = 1; t < v.indices.length; t++) {
      expect(v.indices[t]!).toBeGreaterThan(v.indices[t - 1]!);
    }
    expect(v.indices[v.indices.length - 1]!).toBeLessThan(2 ** DEFAULT_TEXT_FEATURES.hashBits);
    const cues = Array.from(v.indices).filter((index) => index < offset);
    expect(cues).toContain(SENTIMENT_CUE_NAMES.indexOf("negated_negative"));
    expect(cues).toContain(SENTIMENT_CUE_NAMES.indexOf("exclamation"));
  });

  it("tells a negated word from the word", () => {
    const spec = { ...DEFAULT_TEXT_FEATURES, cues: false, wordNgrams: 1 };
    const good = extractTextFeatures("good", spec).indices;
    const notGood = extractTextFeatures("not good", spec).indices;
    expect(notGood).not.toContain(good[0]);
  });

  it("gives an empty vector for a text with no token", () => {
    expect(extractTextFeatures("   ", DEFAULT_TEXT_FEATURES).indices.length).toBe(0);
  });

  it("gives the same vector for the same text however many others came before", () => {
    const first = extractTextFeatures("Great coffee, but the lid leaks :(", DEFAULT_TEXT_FEATURES);
    for (const other of ["a", "b c d e f g", "😍 ".repeat(500)]) {
      extractTextFeatures(other, DEFAULT_TEXT_FEATURES);
    }
    expect(extractTextFeatures("Great coffee, but the lid leaks :(", DEFAULT_TEXT_FEATURES)).toEqual(first);
  });
});

function cues(text: string): Record<(typeof SENTIMENT_CUE_NAMES)[number], number> {
  const out = new Float32Array(SENTIMENT_CUE_COUNT);
  sentimentCues(tokenizeText(text), out);
  return Object.fromEntries(SENTIMENT_CUE_NAMES.map((name, c) => [name, out[c]!])) as never;
}

describe("sentiment cues", () => {
  it("flips and damps a negated word, and counts it apart", () => {
    expect(cues("good").compound).toBeGreaterThan(0);
    expect(cues("not good").compound).toBeLessThan(0);
    expect(Math.abs(cues("not good").compound)).toBeLessThan(cues("good").compound);
    expect(cues("not bad").negated_negative).toBeGreaterThan(0);
    expect(cues("not good").negated_positive).toBeGreaterThan(0);
  });

  it("strengthens a word after an intensifier and softens it after a dampener", () => {
    expect(cues("very good").compound).toBeGreaterThan(cues("good").compound);
    expect(cues("slightly good").compound).toBeLessThan(cues("good").compound);
  });

  it("weighs the clause after 'but' over the one before it", () => {
    expect(cues("the taste is good but the price is terrible").compound).toBeLessThan(0);
    expect(cues("the price is terrible but the taste is good").compound).toBeGreaterThan(0);
    expect(cues("good but terrible").after_contrast).toBeLessThan(0);
  });

  it("reads capitals, exclamation marks and emoticons as emphasis and valence", () => {
    expect(cues("it is GOOD").compound).toBeGreaterThan(cues("it is good").compound);
    expect(cues("it is good!!!").compound).toBeGreaterThan(cues("it is good").compound);
    expect(cues("arrived today :)").compound).toBeGreaterThan(0);
    expect(cues("arrived today 😡").compound).toBeLessThan(0);
    expect(cues("arrived today :-) 😍").emoticon).toBeGreaterThan(0);
  });

  it("stays within [−1, 1] for a long text", () => {
    for (const value of Object.values(cues("great! ".repeat(1000)))) {
      expect(Math.abs(value)).toBeLessThanOrEqual(1);
    }
  });
});

describe("AFINN lexicon", () => {
  it("sums valences and flips them in a negation scope", () => {
    // love +3, terrible -3; "not good": good +3 flipped to -3
    expect(scoreLexicon(tokenize("I love it"))).toEqual({ positive: 3, negative: 0, words: 3 });
    expect(scoreLexicon(tokenize("terrible, not good"))).toEqual({ positive: 0, negative: 6, words: 3 });
  });
});

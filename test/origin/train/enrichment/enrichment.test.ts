import { describe, expect, it } from "vitest";
import { mulberry32, randomNormalArray } from "../../../../models/random.ts";
import {
  aggregateReviewSentiment,
  contentTerms,
  enrichItems,
  fitTfidf,
  type ItemContent,
  textContentExtractor,
  tfidfRows,
  topTerms,
} from "../../../../origin/train/enrichment/index.ts";

describe("TF-IDF keywords", () => {
  it("drops stopwords, numbers and one-letter words and adds categories as terms", () => {
    expect(contentTerms("The 2 apples, a pear", ["Fruit"])).toEqual(["apples", "pear", "cat:fruit"]);
  });

  it("weights terms by sublinear tf × smoothed idf and ranks keywords by weight", () => {
    // N = 3; idf = ln(4 / (1 + df)) + 1: apple (df 1) 1.6931, banana (df 2) 1.2877.
    // doc 0: apple tf 1 + ln 2 = 1.6931 → 2.8667; banana 1 → 1.2877; L2 norm 3.1426 → apple 0.9122
    const docs = [
      ["apple", "banana", "apple"],
      ["banana", "cherry"],
      ["cherry", "date"],
    ];
    const model = fitTfidf(docs, { minDf: 1, maxDfRatio: 1 });
    const rows = tfidfRows(model, docs);
    expect(topTerms(model, rows, 2)[0]).toEqual(["apple", "banana"]);
    const apple = model.vocabulary.get("apple")!;
    const slot = Array.from(rows.indices.subarray(0, rows.offsets[1]!)).indexOf(apple);
    expect(rows.values[slot]).toBeCloseTo(0.9122, 4);
  });
});

describe("review sentiment per item", () => {
  it("averages the scorer's probabilities per item and counts reviews", async () => {
    const score = (texts: readonly string[]) => Float32Array.from(texts, (t) => (t === "good" ? 0.9 : 0.1));
    const r = await aggregateReviewSentiment(3, Int32Array.of(0, 0, 2), ["good", "bad", "good"], score);
    expect(r.mean[0]).toBeCloseTo(0.5, 6);
    expect(Number.isNaN(r.mean[1])).toBe(true);
    expect(r.mean[2]).toBeCloseTo(0.9, 6);
    expect(Array.from(r.count)).toEqual([2, 0, 1]);
  });
});

describe("content vectors in the MF space", () => {
  // Items belong to one or two of 6 genres; their "MF" vector is the sum of their genres' embeddings
  // (a known linear function of content), so the learned map must recover held-out items' vectors.
  const genres = ["drama", "comedy", "horror", "action", "romance", "documentary"];
  const rng = mulberry32(3);
  const f = 8;
  const embedding = randomNormalArray(rng, genres.length * f);
  const items: ItemContent[] = [];
  const truth: number[] = [];
  for (let i = 0; i < 200; i++) {
    const g = [Math.floor(rng() * 6)];
    if (rng() < 0.5) {
      g.push((g[0]! + 1 + Math.floor(rng() * 5)) % 6);
    }
    items.push({ itemId: `m${i}`, title: `movie ${i}`, categories: g.map((x) => genres[x]!) });
    for (let a = 0; a < f; a++) {
      truth.push(g.reduce((s, x) => s + embedding[x * f + a]!, 0));
    }
  }
  const factors = Float32Array.from(truth);
  // the first 150 items are warm (MF knows them), the last 50 are cold
  const rowOfItem = Int32Array.from(items, (_, i) => (i < 150 ? i : -1));

  it("maps a cold item's categories to a vector close to its true MF vector", async () => {
    const e = await enrichItems({ items, mf: { itemFactors: factors, factors: f, rowOfItem }, lambda: 0.01 });
    expect(e.contentDim).toBe(f);
    let meanCosine = 0;
    for (let i = 150; i < 200; i++) {
      const p = e.contentVectors!.subarray(i * f, (i + 1) * f);
      const t = factors.subarray(i * f, (i + 1) * f);
      let dot = 0;
      for (let a = 0; a < f; a++) {
        dot += p[a]! * t[a]!;
      }
      meanCosine += dot / (Math.hypot(...p) * Math.hypot(...t)) / 50;
    }
    expect(meanCosine).toBeGreaterThan(0.9);
  });

  it("exposes the same vectors through the feature-extractor seam", async () => {
    const e = await enrichItems({ items, mf: { itemFactors: factors, factors: f, rowOfItem } });
    const extractor = textContentExtractor(e.tfidf, e.contentMap!);
    const vectors = await extractor.extract(items.slice(190));
    expect(extractor.dim).toBe(f);
    expect(Array.from(vectors)).toEqual(Array.from(e.contentVectors!.subarray(190 * f)));
  });
});

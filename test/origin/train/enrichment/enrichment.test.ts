import { describe, expect, it } from "vitest";
import {
  aggregateReviewSentiment,
  contentTerms,
  enrichItems,
  fitTfidf,
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

  it("enriches items with their review sentiment and keywords, none without a scorer", async () => {
    const items = [
      { itemId: "a", title: "Garden hose, green garden hose", categories: ["garden"] },
      { itemId: "b", title: "Kitchen pan", categories: ["kitchen"] },
      { itemId: "c", title: "Garden chair", categories: ["garden"] },
    ];
    const score = (texts: readonly string[]) => Float32Array.from(texts, (t) => (t === "great" ? 0.8 : 0.2));
    const enriched = await enrichItems({
      items,
      reviews: { item: Int32Array.of(1, 1), texts: ["great", "poor"] },
      scoreSentiment: score,
    });
    expect(Array.from(enriched.sentiment!.count)).toEqual([0, 2, 0]);
    expect(enriched.sentiment!.mean[1]).toBeCloseTo(0.5, 6);
    expect(enriched.keywords).toHaveLength(3);
    expect((await enrichItems({ items })).sentiment).toBeUndefined();
  });
});

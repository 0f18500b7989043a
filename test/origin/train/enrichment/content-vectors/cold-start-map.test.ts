import { describe, expect, it } from "vitest";
import { mulberry32, randomNormalArray } from "../../../../../models/random.ts";
import { fitColdStartMap } from "../../../../../origin/train/enrichment/content-vectors/cold-start-map.ts";
import { contentBlocks } from "../../../../../origin/train/enrichment/content-vectors/content-parts.ts";
import type { VectorBlock } from "../../../../../origin/train/enrichment/content-vectors/ridge-map.ts";
import { columnCounts } from "../../../../../origin/train/recs/index.ts";
import { CATEGORY_NAMES, nearestCategory, STYLE_WORDS, syntheticShop } from "./synthetic-shop.ts";

const rowOf = (map: { items: Int32Array; vectors: Float32Array }, item: number, f: number) => {
  const r = map.items.indexOf(item);
  return map.vectors.subarray(r * f, (r + 1) * f);
};

describe("the cold-start map into the factor space", () => {
  it("places items no one has interacted with near their category from their categories and words", () => {
    const shop = syntheticShop();
    const map = fitColdStartMap({
      blocks: contentBlocks(shop.items, {}),
      mf: shop.mf,
      interactions: shop.interactions,
    })!;
    const counts = columnCounts(shop.interactions);
    expect(Array.from(map.items)).toEqual(Array.from(counts.keys()).filter((i) => counts[i] === 0));
    const placed = Array.from(shop.cold).filter(
      (i) => nearestCategory(rowOf(map, i, shop.factors), shop.centres) === shop.category[i],
    );
    expect(placed.length / shop.cold.length).toBeGreaterThanOrEqual(0.9);
    expect(map.spec).toMatchObject({ items: shop.cold.length, weighting: { method: "validation" } });
    expect(map.spec.weighting.heldOut).toBeGreaterThanOrEqual(10);
    expect(map.spec.weighting.score!).toBeGreaterThanOrEqual(map.spec.weighting.bestSinglePart!);
    expect(map.weights.reduce((s, w) => s + w, 0)).toBeCloseTo(1, 9);
  });

  it("chooses by measurement: a block that knows category and style outweighs a wide block of noise", () => {
    const shop = syntheticShop();
    const n = shop.items.length;
    const c = CATEGORY_NAMES.length * STYLE_WORDS.length;
    const everywhere = new Uint8Array(n).fill(1);
    const labels = new Float32Array(n * c);
    shop.category.forEach((category, i) => {
      labels[i * c + category * STYLE_WORDS.length + shop.style[i]!] = 1;
    });
    const blocks: VectorBlock[] = [
      { name: "labels", dim: c, vectors: labels, present: everywhere },
      { name: "noise", dim: 200, vectors: randomNormalArray(mulberry32(11), n * 200), present: everywhere },
    ];
    const map = fitColdStartMap({ blocks, mf: shop.mf, interactions: shop.interactions })!;
    expect(map.weights[0]!).toBeGreaterThan(map.weights[1]!);
    expect(map.spec.parts).toEqual([
      { name: "labels", weight: map.weights[0] },
      { name: "noise", weight: map.weights[1] },
    ]);
  });

  it("lifts the new items of a category content predicts to be popular, along the mean user", () => {
    const shop = syntheticShop();
    const blocks = contentBlocks(shop.items, {});
    const mapWithPrior = (prior: number) =>
      fitColdStartMap({
        blocks,
        mf: shop.mf,
        interactions: shop.interactions,
        options: { priors: [prior], lambdas: [3] },
      })!;
    const without = mapWithPrior(0);
    const withPrior = mapWithPrior(0.4);
    expect(withPrior.spec.popularityPrior).toBe(0.4);
    // the mean over users of u·row, per category: the prior raises the popular one, lowers the other
    const f = shop.factors;
    const meanScore = (map: typeof without, category: number) => {
      const items = Array.from(shop.cold).filter((i) => shop.category[i] === category);
      let total = 0;
      for (const i of items) {
        const row = rowOf(map, i, f);
        for (let u = 0; u < shop.interactions.rows; u++) {
          for (let a = 0; a < f; a++) {
            total += shop.mf.userFactors[u * f + a]! * row[a]!;
          }
        }
      }
      return total / (items.length * shop.interactions.rows);
    };
    const popular = 0;
    const unpopular = CATEGORY_NAMES.length - 1;
    expect(meanScore(withPrior, popular)).toBeGreaterThan(meanScore(without, popular));
    expect(meanScore(withPrior, unpopular)).toBeLessThan(meanScore(without, unpopular));
  });

  it("uses equal weights, unmeasured, when too few items have interactions to hold some out", () => {
    const shop = syntheticShop({ perCategory: 4, coldPerCategory: 1, users: 12 });
    const map = fitColdStartMap({
      blocks: contentBlocks(shop.items, {}),
      mf: shop.mf,
      interactions: shop.interactions,
    })!;
    expect(map.spec.weighting).toEqual({
      method: "default",
      metric: "cold-ndcg@10",
      heldOut: 0,
      score: null,
      bestSinglePart: null,
    });
    expect(map.weights).toEqual([0.5, 0.5]);
    expect(map.spec.popularityPrior).toBe(0);
  });

  it("has nothing to map without content or without two items with interactions", () => {
    const shop = syntheticShop();
    expect(fitColdStartMap({ blocks: [], mf: shop.mf, interactions: shop.interactions })).toBeNull();
  });
});

import { describe, expect, it } from "vitest";
import { ContentVectors } from "../../../../../models/contracts/index.ts";
import { mulberry32, randomNormalArray } from "../../../../../models/random.ts";
import { chooseItem2vecShare } from "../../../../../origin/train/enrichment/content-vectors/item2vec-share.ts";
import { computeContentVectors } from "../../../../../origin/train/enrichment/index.ts";
import { syntheticShop } from "./synthetic-shop.ts";

/** The items nearest to `item` by the table's dot product, best first. */
function neighbours(vectors: Float32Array, dim: number, item: number, k: number): number[] {
  const n = vectors.length / dim;
  const scores = Array.from({ length: n }, (_, j) => {
    let s = 0;
    for (let d = 0; d < dim; d++) {
      s += vectors[item * dim + d]! * vectors[j * dim + d]!;
    }
    return [s, j] as const;
  });
  return scores
    .filter(([, j]) => j !== item)
    .sort((a, b) => b[0] - a[0] || a[1] - b[1])
    .slice(0, k)
    .map(([, j]) => j);
}

describe("the fused content vector", () => {
  // enough users for item2vec to learn their (category, style) groups
  const shop = syntheticShop({ users: 720 });
  const fused = computeContentVectors({
    items: shop.items,
    encoded: {},
    events: shop.events,
    recommender: { mf: shop.mf, interactions: shop.interactions },
  })!;

  it("fuses the categories, the words and item2vec with weights that sum to 1, recorded for the manifest", () => {
    expect(ContentVectors.parse(fused.spec)).toEqual(fused.spec);
    expect(fused.spec.parts.map(({ name, items }) => [name, items])).toEqual([
      ["categories", shop.items.length],
      ["text-tfidf", shop.items.length],
      ["item2vec", shop.items.length - shop.cold.length],
    ]);
    // item2vec finds each user's next item better than the content alone here, but never takes it all
    expect(fused.spec.parts[2]!.weight).toBe(0.75);
    expect(fused.spec.parts.reduce((s, part) => s + part.weight, 0)).toBeCloseTo(1, 9);
    expect(fused.spec.weighting).toMatchObject({ method: "validation", metric: "next-item-ndcg@10" });
    expect(fused.spec.coldStart).toMatchObject({
      items: shop.cold.length,
      weighting: { method: "validation" },
    });
    expect(fused.vectors).toHaveLength(shop.items.length * fused.dim);
  });

  it("finds an item's category and style among its nearest items by the catalogue's content table", () => {
    const agreement = (items: readonly number[]) => {
      let same = 0;
      let total = 0;
      for (const i of items) {
        for (const j of neighbours(fused.vectors, fused.dim, i, 5)) {
          same += shop.category[j] === shop.category[i] && shop.style[j] === shop.style[i] ? 1 : 0;
          total++;
        }
      }
      return same / total;
    };
    const warm = Array.from({ length: shop.items.length }, (_, i) => i).filter((i) => !shop.cold.includes(i));
    // 1 in 18 by chance
    expect(agreement(warm)).toBeGreaterThanOrEqual(0.7);
    // new items have no item2vec row: their content alone places them
    expect(agreement(Array.from(shop.cold))).toBeGreaterThanOrEqual(0.4);
  });

  it("projects to the table width and keeps most of the fused vectors' length", () => {
    const narrow = computeContentVectors({
      items: shop.items,
      encoded: {},
      events: shop.events,
      options: { tableDim: 8 },
    })!;
    expect(narrow.dim).toBe(8);
    expect(narrow.spec.dim).toBe(8);
    expect(narrow.spec.explained).toBeGreaterThan(0.5);
    expect(narrow.spec.explained).toBeLessThanOrEqual(1);
    // without a recommender: the same parts, no cold-start map
    expect(narrow.cold).toBeNull();
    expect(narrow.spec.coldStart).toBeUndefined();
  });

  it("has no vectors when no item has any part", () => {
    const bare = shop.items.map(({ itemId }) => ({ itemId }));
    expect(computeContentVectors({ items: bare, encoded: {} })).toBeNull();
  });
});

describe("item2vec's share of the fused vector", () => {
  // 200 items, 60 held-out transitions; one similarity knows the next item, the other is noise
  const items = 200;
  const rng = mulberry32(4);
  const previous = Int32Array.from({ length: 60 }, (_, p) => p * 3);
  const next = Int32Array.from(previous, (i) => i + 1);
  const unit = (vectors: Float32Array, dim: number) => {
    for (let i = 0; i < items; i++) {
      const row = vectors.subarray(i * dim, (i + 1) * dim);
      const norm = Math.hypot(...row) || 1;
      row.forEach((v, d) => {
        row[d] = v / norm;
      });
    }
    return { vectors, dim };
  };
  // knowing: item i and i + 1 (for i divisible by 3) share a direction
  const knowing = unit(
    Float32Array.from({ length: items * 16 }, (_, t) => {
      const i = Math.floor(t / 16);
      const anchor = i % 3 === 1 ? i - 1 : i;
      return mulberry32(anchor * 16 + (t % 16))() - 0.5;
    }),
    16,
  );
  const noise = unit(randomNormalArray(rng, items * 16), 16);

  it("gives item2vec the largest share when it alone finds the next item, none when the content does", () => {
    const toItem2vec = chooseItem2vecShare(noise, knowing, { previous, next }, items);
    expect(toItem2vec.share).toBe(0.75);
    expect(toItem2vec.weighting).toMatchObject({ method: "validation", heldOut: 60 });
    expect(toItem2vec.weighting.score).toBeGreaterThan(0.9);
    const toContent = chooseItem2vecShare(knowing, noise, { previous, next }, items);
    expect(toContent.share).toBe(0);
  });

  it("keeps the default share, unmeasured, with too few transitions", () => {
    const few = { previous: previous.subarray(0, 5), next: next.subarray(0, 5) };
    expect(chooseItem2vecShare(noise, knowing, few, items)).toEqual({
      share: 0.5,
      weighting: {
        method: "default",
        metric: "next-item-ndcg@10",
        heldOut: 0,
        score: null,
        bestSinglePart: null,
      },
    });
  });
});

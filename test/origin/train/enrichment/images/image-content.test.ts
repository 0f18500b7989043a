import { describe, expect, it } from "vitest";
import { mulberry32, randomNormalArray } from "../../../../../models/random.ts";
import { renderProductImage } from "../../../../../origin/dev/sample-data/index.ts";
import { enrichItems, type ItemContent } from "../../../../../origin/train/enrichment/index.ts";

const CATEGORIES = ["books", "garden", "music", "toys"] as const;
const PER_CATEGORY = 12;
const COLD_PER_CATEGORY = 3;
const FACTORS = 8;

/**
 * Items of four categories with pictures of their category; MF vectors cluster by category. The last three
 * of each category are cold (MF has not seen them) and have no title or text: only their picture.
 */
async function catalogue() {
  const rng = mulberry32(9);
  const centres = CATEGORIES.map(() => randomNormalArray(rng, FACTORS, 1));
  const items: ItemContent[] = [];
  const category: number[] = [];
  const itemFactors = new Float32Array(CATEGORIES.length * PER_CATEGORY * FACTORS);
  const rowOfItem: number[] = [];
  for (const [c, name] of CATEGORIES.entries()) {
    for (let k = 0; k < PER_CATEGORY; k++) {
      const i = items.length;
      const cold = k >= PER_CATEGORY - COLD_PER_CATEGORY;
      const bytes = await renderProductImage(name, 50 + k, "png");
      items.push({
        itemId: `${name}-${k}`,
        // warm items share generic words across categories: text alone cannot tell them apart
        ...(cold ? {} : { title: `${["red", "blue", "green"][k % 3]} ${["alpha", "beta"][k % 2]} thing` }),
        imageUrl: `data:image/png;base64,${Buffer.from(bytes).toString("base64")}`,
      });
      category.push(c);
      const noise = randomNormalArray(rng, FACTORS, 0.2);
      for (let a = 0; a < FACTORS; a++) {
        itemFactors[i * FACTORS + a] = centres[c]![a]! + noise[a]!;
      }
      rowOfItem.push(cold ? -1 : i);
    }
  }
  return {
    items,
    category,
    centres,
    mf: { itemFactors, factors: FACTORS, rowOfItem: Int32Array.from(rowOfItem) },
  };
}

function nearestCentre(vector: Float32Array, centres: readonly Float32Array[]): number {
  let best = 0;
  let bestDistance = Number.POSITIVE_INFINITY;
  centres.forEach((centre, c) => {
    const d = centre.reduce((sum, v, a) => sum + (v - vector[a]!) ** 2, 0);
    if (d < bestDistance) {
      bestDistance = d;
      best = c;
    }
  });
  return best;
}

describe("content vectors from images", () => {
  it("places cold items with only a picture near their category in the MF space, and records the parts", async () => {
    const { items, category, centres, mf } = await catalogue();
    const withImages = await enrichItems({ items, mf, lambda: 0.1, images: {} });
    const textOnly = await enrichItems({ items, mf, lambda: 0.1 });
    const cold = items.flatMap((_, i) => (mf.rowOfItem[i]! < 0 ? [i] : []));
    const vector = (e: typeof withImages, i: number) =>
      e.contentVectors!.subarray(i * FACTORS, (i + 1) * FACTORS);
    const hits = cold.filter((i) => nearestCentre(vector(withImages, i), centres) === category[i]).length;
    expect(hits / cold.length).toBeGreaterThanOrEqual(0.9);
    // without images every cold item (no text) gets the same mean vector
    const first = Array.from(vector(textOnly, cold[0]!));
    expect(cold.every((i) => Array.from(vector(textOnly, i)).every((v, a) => v === first[a]))).toBe(true);
    expect(withImages.contentParts).toEqual([
      { name: "text-tfidf", items: items.length - cold.length, weight: 0.5 },
      { name: "image", items: items.length, weight: 0.5 },
    ]);
    expect(withImages.imageMap?.factors).toBe(FACTORS);
  });

  it("keeps the text vectors when too few warm items have an image", async () => {
    const { items, mf } = await catalogue();
    const few = items.map((item, i) =>
      i % 8 === 0 ? item : { ...item, imageUrl: "https://10.0.0.1/x.png" },
    );
    const enrichment = await enrichItems({ items: few, mf, lambda: 0.1, images: {} });
    const textOnly = await enrichItems({ items: few, mf, lambda: 0.1 });
    expect(enrichment.contentParts).toEqual([{ name: "text-tfidf", items: items.length - 12, weight: 1 }]);
    expect(Array.from(enrichment.contentVectors!)).toEqual(Array.from(textOnly.contentVectors!));
  });
});

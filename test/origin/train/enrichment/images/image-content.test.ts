import { describe, expect, it } from "vitest";
import { mulberry32, randomNormalArray } from "../../../../../models/random.ts";
import { renderProductImage } from "../../../../../origin/dev/sample-data/index.ts";
import { extractImageFeatures } from "../../../../../origin/train/enrichment/images/index.ts";
import { computeContentVectors, type ItemContent } from "../../../../../origin/train/enrichment/index.ts";
import { buildCsr } from "../../../../../origin/train/recs/index.ts";

const CATEGORIES = ["books", "garden", "music", "toys"] as const;
const PER_CATEGORY = 16;
const COLD_PER_CATEGORY = 4;
const FACTORS = 8;
const USERS_PER_CATEGORY = 10;

/**
 * Items of four categories with pictures of their category; the recommender's factors cluster by
 * category, and each user keeps to one. The last four of each category are new (no interaction) and have
 * no title: only their picture. The others share generic words across categories, so text alone cannot
 * tell the categories apart.
 */
async function catalogue() {
  const rng = mulberry32(9);
  const centres = CATEGORIES.map(() => randomNormalArray(rng, FACTORS, 1));
  const items: ItemContent[] = [];
  const category: number[] = [];
  const itemFactors = new Float32Array(CATEGORIES.length * PER_CATEGORY * FACTORS);
  const users = CATEGORIES.length * USERS_PER_CATEGORY;
  const userFactors = new Float32Array(users * FACTORS);
  const user: number[] = [];
  const item: number[] = [];
  for (const [c, name] of CATEGORIES.entries()) {
    for (let k = 0; k < PER_CATEGORY; k++) {
      const i = items.length;
      const cold = k >= PER_CATEGORY - COLD_PER_CATEGORY;
      const bytes = await renderProductImage(name, 50 + k, "png");
      items.push({
        itemId: `${name}-${k}`,
        ...(cold ? {} : { title: `${["red", "blue", "green"][k % 3]} ${["alpha", "beta"][k % 2]} thing` }),
        imageUrl: `data:image/png;base64,${Buffer.from(bytes).toString("base64")}`,
      });
      category.push(c);
      const noise = randomNormalArray(rng, FACTORS, 0.2);
      for (let a = 0; a < FACTORS; a++) {
        itemFactors[i * FACTORS + a] = centres[c]![a]! + noise[a]!;
      }
    }
    for (let u = c * USERS_PER_CATEGORY; u < (c + 1) * USERS_PER_CATEGORY; u++) {
      userFactors.set(centres[c]!, u * FACTORS);
      for (let p = 0; p < 6; p++) {
        user.push(u);
        item.push(c * PER_CATEGORY + Math.floor(rng() * (PER_CATEGORY - COLD_PER_CATEGORY)));
      }
    }
  }
  const interactions = buildCsr({
    users,
    items: items.length,
    user: Int32Array.from(user),
    item: Int32Array.from(item),
  });
  return { items, category, centres, mf: { itemFactors, userFactors, factors: FACTORS }, interactions };
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
  it("places new items with only a picture near their category in the factor space, by the measured image weight", async () => {
    const { items, category, centres, mf, interactions } = await catalogue();
    const images = await extractImageFeatures(items);
    expect(images.report).toMatchObject({ withImage: items.length, described: items.length });
    const fused = computeContentVectors({ items, encoded: { images }, recommender: { mf, interactions } })!;
    const cold = fused.cold!;
    expect(cold.items).toHaveLength(CATEGORIES.length * COLD_PER_CATEGORY);
    const hits = Array.from(cold.items).filter(
      (item, r) =>
        nearestCentre(cold.vectors.subarray(r * FACTORS, (r + 1) * FACTORS), centres) === category[item],
    ).length;
    expect(hits / cold.items.length).toBeGreaterThanOrEqual(0.9);
    const image = fused.spec.coldStart!.parts.find((part) => part.name === "image-descriptors")!;
    expect(image.weight).toBeGreaterThan(0);
    expect(fused.spec.parts.map((part) => part.name)).toEqual(["text-tfidf", "image-descriptors"]);

    // without the pictures every new item (no text) gets the same row: nothing tells them apart
    const textOnly = computeContentVectors({ items, encoded: {}, recommender: { mf, interactions } })!;
    const first = Array.from(textOnly.cold!.vectors.subarray(0, FACTORS));
    for (let r = 1; r < textOnly.cold!.items.length; r++) {
      expect(Array.from(textOnly.cold!.vectors.subarray(r * FACTORS, (r + 1) * FACTORS))).toEqual(first);
    }
  });
});

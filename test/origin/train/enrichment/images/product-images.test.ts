import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { IngestRecord } from "../../../../../models/contracts/index.ts";
import {
  generateTasteClusterData,
  PRODUCT_IMAGE_CATEGORIES,
  productImageSvg,
  renderProductImage,
  SAMPLE_CATEGORIES,
  SAMPLE_IMAGE_SIZE,
  sampleImageFetch,
  sampleImageUrl,
} from "../../../../../origin/dev/sample-data/index.ts";
import {
  describeImage,
  descriptorVector,
  extractImageFeatures,
  fetchImage,
  ImageFetchError,
} from "../../../../../origin/train/enrichment/images/index.ts";

describe("generated product images", () => {
  it("has a look for every sample category, the same picture for the same seed and varied ones across seeds", () => {
    expect([...PRODUCT_IMAGE_CATEGORIES].sort()).toEqual([...SAMPLE_CATEGORIES].sort());
    expect(productImageSvg("toys", 5)).toBe(productImageSvg("toys", 5));
    expect(productImageSvg("toys", 5)).not.toBe(productImageSvg("toys", 6));
    expect(() => productImageSvg("boats", 1)).toThrow(/no product look for category 'boats'/);
  });

  it("renders to PNG, JPEG and WebP with sharp", async () => {
    for (const format of ["png", "jpeg", "webp"] as const) {
      const meta = await sharp(await renderProductImage("garden", 3, format)).metadata();
      expect(meta).toMatchObject({ format, width: SAMPLE_IMAGE_SIZE, height: SAMPLE_IMAGE_SIZE });
    }
  });

  it("looks alike within a category: an image's nearest neighbour by descriptors mostly shares its category", async () => {
    const perCategory = 5;
    const vectors: Float32Array[] = [];
    const labels: string[] = [];
    for (const category of SAMPLE_CATEGORIES) {
      for (let s = 0; s < perCategory; s++) {
        vectors.push(descriptorVector(await describeImage(await renderProductImage(category, 100 + s))));
        labels.push(category);
      }
    }
    const dot = (a: Float32Array, b: Float32Array) => a.reduce((sum, v, i) => sum + v * b[i]!, 0);
    let hits = 0;
    for (let i = 0; i < vectors.length; i++) {
      let best = -1;
      for (let j = 0; j < vectors.length; j++) {
        if (j !== i && (best < 0 || dot(vectors[i]!, vectors[j]!) > dot(vectors[i]!, vectors[best]!))) {
          best = j;
        }
      }
      hits += labels[best] === labels[i] ? 1 : 0;
    }
    // chance is 4 of 39 neighbours (about 0.10)
    expect(hits / vectors.length).toBeGreaterThan(0.7);
  });
});

describe("the sample shop's images", () => {
  it("gives sample items image URLs the ingestion contract accepts, only when asked", () => {
    const plain = generateTasteClusterData({ endMs: Date.UTC(2026, 0, 1), users: 5, items: 8 });
    const withImages = generateTasteClusterData({
      endMs: Date.UTC(2026, 0, 1),
      users: 5,
      items: 8,
      images: true,
    });
    const items = (records: typeof plain.records) => records.filter((r) => r.type === "item");
    expect(items(plain.records).some((r) => "image_url" in r)).toBe(false);
    for (const record of items(withImages.records)) {
      expect(IngestRecord.parse(record)).toMatchObject({
        image_url: expect.stringMatching(/^https:\/\/images\.shop\.example\//),
      });
    }
  });

  it("renders sample URLs in-process and sends every other URL through the guarded fetch", async () => {
    const fetchSample = sampleImageFetch((url) => fetchImage(url));
    const image = await fetchSample(sampleImageUrl("music", 42));
    expect(image.contentType).toBe("image/webp");
    expect(Array.from(image.bytes)).toEqual(Array.from(await renderProductImage("music", 42)));
    await expect(fetchSample("https://127.0.0.1/x.png")).rejects.toMatchObject({ reason: "private-address" });
    await expect(fetchSample("https://images.shop.example/boats/1.webp")).rejects.toBeInstanceOf(
      ImageFetchError,
    );
    const data = generateTasteClusterData({ endMs: Date.UTC(2026, 0, 1), users: 5, items: 16, images: true });
    const items = data.records.flatMap((r) =>
      r.type === "item" && typeof r.image_url === "string"
        ? [{ itemId: String(r.item_id), imageUrl: r.image_url }]
        : [],
    );
    const features = await extractImageFeatures(items, { fetch: fetchSample });
    expect(features.report).toMatchObject({ withImage: 16, described: 16, failed: 0, distinctImages: 16 });
  });
});

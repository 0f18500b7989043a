/** A training run over a generated shop whose items carry images, some of which cannot be used. */
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestRecord } from "../../../../../models/contracts/index.ts";
import type { TrainedRelease } from "../../../../../origin/release/index.ts";
import { fetchImage } from "../../../../../origin/train/enrichment/images/index.ts";
import { runTrainingPipeline } from "../../../../../origin/train/index.ts";
import { type GeneratedStore, openGeneratedStore } from "../../support/trained-store.ts";

let store: GeneratedStore;
let release: TrainedRelease;
let fetched: string[];

beforeAll(async () => {
  store = await openGeneratedStore({ users: 80, items: 40 });
  const png = await sharp({ create: { width: 48, height: 32, channels: 3, background: "#2a9d8f" } })
    .composite([
      {
        input: await sharp({ create: { width: 16, height: 16, channels: 3, background: "#e76f51" } })
          .png()
          .toBuffer(),
        left: 4,
        top: 6,
      },
    ])
    .png()
    .toBuffer();
  const urlOf = (i: number) =>
    i % 4 === 0
      ? `https://images.shop.test/${i}.png` // served below
      : i % 4 === 1
        ? `https://127.0.0.1/${i}.png` // loopback: refused by the guard
        : i % 4 === 2
          ? `https://10.1.2.3/${i}.png` // private: refused
          : `https://broken.shop.test/${i}.png`; // served, but not an image
  // the generated item records again, now with an image each (an item record replaces the earlier one)
  const items = store.data.records
    .filter((record) => record.type === "item")
    .map((record, i) =>
      IngestRecord.parse({
        ...record,
        event_id: `image-${i}`,
        ts: Number(record.ts) + 1,
        image_url: urlOf(i),
      }),
    );
  await store.eventStore.insertBatch(items);
  fetched = [];
  release = await runTrainingPipeline({
    eventStore: store.eventStore,
    now: store.now,
    options: {
      runId: "run-images",
      images: {
        // *.shop.test is answered here; everything else goes through the real guarded fetch
        fetch: async (url) => {
          fetched.push(url);
          if (url.startsWith("https://images.shop.test/")) {
            return { bytes: png, contentType: "image/png" };
          }
          if (url.startsWith("https://broken.shop.test/")) {
            return { bytes: Uint8Array.of(0, 1, 2, 3), contentType: "image/png" };
          }
          return fetchImage(url);
        },
      },
    },
  });
});
afterAll(async () => {
  await store?.eventStore.close();
});

describe("training with item images", () => {
  it("describes the usable images, counts the rest by reason, and still trains every model", () => {
    const n = store.data.items.length;
    expect(fetched).toHaveLength(n);
    expect(release.images).toMatchObject({
      withImage: n,
      described: n / 4,
      failed: (3 * n) / 4,
      failures: { "private-address": n / 2, decode: n / 4 },
      distinctImages: 2,
    });
    expect(release.notes.some((note) => /item images skipped .*private-address/.test(note))).toBe(true);
    expect(release.candidates.map((c) => c.name)).toContain("recs");
    expect(release.counts.items).toBe(n);
  });
});

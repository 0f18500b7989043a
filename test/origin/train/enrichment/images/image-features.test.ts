import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  DEFAULT_IMAGE_FETCH_POLICY,
  extractImageFeatures,
  IMAGE_DESCRIPTOR_DIM,
  ImageDescriptorCache,
} from "../../../../../origin/train/enrichment/images/index.ts";
import { type ItemContent, itemContentVectors } from "../../../../../origin/train/enrichment/index.ts";

const square = (fill: string) =>
  sharp(
    Buffer.from(
      `<svg xmlns="http://www.w3.org/2000/svg" width="80" height="80"><rect width="80" height="80" fill="#fff"/><rect x="10" y="14" width="40" height="50" fill="${fill}"/></svg>`,
    ),
  );
const dataUrl = (type: string, bytes: Uint8Array) =>
  `data:${type};base64,${Buffer.from(bytes).toString("base64")}`;

let server: Server;
let port: number;
let red: Buffer;

beforeAll(async () => {
  red = await square("#c1121f").png().toBuffer();
  server = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "image/png" });
    res.end(red);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("image features for a catalogue", () => {
  it("describes good images, counts each failing one by reason, and never stops on one", async () => {
    const blue = await square("#1d4ed8").webp().toBuffer();
    const items: ItemContent[] = [
      { itemId: "red-png", imageUrl: dataUrl("image/png", red) },
      { itemId: "no-image" },
      { itemId: "loopback", imageUrl: `http://127.0.0.1:${port}/red.png` },
      { itemId: "garbage", imageUrl: dataUrl("image/png", Uint8Array.of(1, 2, 3)) },
      { itemId: "html", imageUrl: "data:text/html,<b>hi</b>" },
      { itemId: "file", imageUrl: "file:///etc/passwd" },
      { itemId: "blue-webp", imageUrl: dataUrl("image/webp", blue) },
      { itemId: "red-jpeg-copy", imageUrl: dataUrl("image/png", Uint8Array.from(red)) },
    ];
    const features = await extractImageFeatures(items);
    expect(features.dim).toBe(IMAGE_DESCRIPTOR_DIM);
    expect(Array.from(features.present)).toEqual([1, 0, 0, 0, 0, 0, 1, 1]);
    expect(features.report).toEqual({
      withImage: 7,
      described: 3,
      failed: 4,
      failures: { "private-address": 1, decode: 1, "content-type": 1, "file-outside-root": 1 },
      // red (twice, under two URLs: decoded once), the garbage bytes and blue
      distinctImages: 3,
      reused: 0,
    });
    const row = (i: number) => features.vectors.subarray(i * features.dim, (i + 1) * features.dim);
    expect(row(1).every((v) => v === 0)).toBe(true);
    expect(Array.from(row(7))).toEqual(Array.from(row(0)));
    expect(features.perceptualHashes[0]).toMatch(/^[0-9a-f]{16}$/);
    expect(features.perceptualHashes[1]).toBeNull();
  });

  it("fetches over HTTP when the policy allows the host, and reuses a cache across runs", async () => {
    const cache = new ImageDescriptorCache();
    const options = { policy: { ...DEFAULT_IMAGE_FETCH_POLICY, allowPrivateNetworks: true }, cache };
    const items = [{ itemId: "a", imageUrl: `http://127.0.0.1:${port}/a.png` }];
    const first = await extractImageFeatures(items, options);
    const second = await extractImageFeatures(items, options);
    expect(first.report.described).toBe(1);
    expect(first.report.distinctImages).toBe(1);
    expect(second.report.distinctImages).toBe(0);
    expect(Array.from(second.vectors)).toEqual(Array.from(first.vectors));
  });

  it("adds an image block to the content vectors for the items with a usable image", async () => {
    const items: ItemContent[] = [
      { itemId: "a", title: "red garden hose", imageUrl: dataUrl("image/png", red) },
      { itemId: "b", title: "blue garden chair", imageUrl: "https://10.0.0.8/chair.png" },
      { itemId: "c", title: "red kitchen pan" },
      { itemId: "d", title: "blue kitchen bowl" },
    ];
    const plain = await itemContentVectors(items, {}, {});
    const withImages = await itemContentVectors(items, { images: {} }, {});
    expect(plain.images).toBeUndefined();
    expect(plain.vectors?.spec.parts.map((part) => part.name)).toEqual(["text-tfidf"]);
    expect(withImages.images?.report).toMatchObject({
      withImage: 2,
      described: 1,
      failures: { "private-address": 1 },
    });
    expect(withImages.vectors?.spec.parts.map(({ name, items }) => [name, items])).toEqual([
      ["text-tfidf", 4],
      ["image-descriptors", 1],
    ]);
  });
});

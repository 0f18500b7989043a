/**
 * The image cache kept between training runs, against a real local HTTP server that counts what it is
 * asked and answers conditional requests as an image CDN does.
 */
import { mkdtemp, readdir, rm, writeFile } from "node:fs/promises";
import { createServer, type IncomingMessage, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import sharp from "sharp";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import {
  DEFAULT_IMAGE_FETCH_POLICY,
  extractImageFeatures,
  fileImageCache,
  type ImageCacheStore,
  type ImageEncoder,
} from "../../../../../origin/train/enrichment/images/index.ts";

const solid = (background: string) =>
  sharp({ create: { width: 32, height: 32, channels: 3, background } })
    .png()
    .toBuffer();

interface Served {
  body: Buffer;
  etag?: string;
  cacheControl?: string;
}

let server: Server;
let base: string;
let dir: string;
const served = new Map<string, Served>();
const requests: { path: string; ifNoneMatch?: string }[] = [];

beforeAll(async () => {
  server = createServer((req: IncomingMessage, res) => {
    const entry = served.get(req.url ?? "");
    requests.push({
      path: req.url ?? "",
      ...(req.headers["if-none-match"] ? { ifNoneMatch: req.headers["if-none-match"] } : {}),
    });
    if (!entry) {
      res.writeHead(404).end();
      return;
    }
    const headers: Record<string, string> = {
      "content-type": "image/png",
      ...(entry.etag ? { etag: entry.etag } : {}),
      ...(entry.cacheControl ? { "cache-control": entry.cacheControl } : {}),
    };
    if (entry.etag && req.headers["if-none-match"] === entry.etag) {
      res.writeHead(304, headers).end();
      return;
    }
    res.writeHead(200, headers).end(entry.body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});
beforeEach(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "edgewise-image-cache-"));
  served.clear();
  requests.length = 0;
  return () => rm(dir, { recursive: true, force: true });
});

function run(store: ImageCacheStore, urls: readonly string[], nowMs: number, encoder?: ImageEncoder) {
  return extractImageFeatures(
    urls.map((url, i) => ({ itemId: `i${i}`, imageUrl: url })),
    {
      policy: { ...DEFAULT_IMAGE_FETCH_POLICY, allowPrivateNetworks: true },
      store,
      maxAgeSeconds: 3600,
      now: () => nowMs,
      ...(encoder ? { encoder } : {}),
    },
  );
}

const HOUR = 3_600_000;

describe("the image cache between runs", () => {
  it("reuses an image within its lifetime without asking, then asks with its ETag and reuses it on a 304", async () => {
    served.set("/red.png", { body: await solid("#c1121f"), etag: '"r1"' });
    served.set("/blue.png", { body: await solid("#1d4ed8"), etag: '"b1"', cacheControl: "max-age=60" });
    const store = fileImageCache(dir);
    const urls = [`${base}/red.png`, `${base}/blue.png`];
    const first = await run(store, urls, 0);
    expect(first.report).toMatchObject({ described: 2, reused: 0, distinctImages: 2 });
    expect(requests.map((r) => r.path).sort()).toEqual(["/blue.png", "/red.png"]);

    // 30 s later: red lives an hour (the default), blue 60 s (its max-age): nothing is asked
    requests.length = 0;
    const second = await run(store, urls, 30_000);
    expect(requests).toEqual([]);
    expect(second.report).toMatchObject({ described: 2, reused: 2, distinctImages: 0 });
    expect(Array.from(second.vectors)).toEqual(Array.from(first.vectors));
    expect(second.perceptualHashes).toEqual(first.perceptualHashes);

    // 2 minutes later: blue is asked again with its ETag, answered 304, reused undownloaded
    requests.length = 0;
    const third = await run(store, urls, 120_000);
    expect(requests).toEqual([{ path: "/blue.png", ifNoneMatch: '"b1"' }]);
    expect(third.report).toMatchObject({ reused: 2, distinctImages: 0 });
  });

  it("downloads and describes an image again when it changed behind the same URL", async () => {
    served.set("/item.png", { body: await solid("#c1121f"), etag: '"v1"' });
    const store = fileImageCache(dir);
    const first = await run(store, [`${base}/item.png`], 0);
    served.set("/item.png", { body: await solid("#2a9d8f"), etag: '"v2"' });
    requests.length = 0;
    const later = await run(store, [`${base}/item.png`], 2 * HOUR);
    expect(requests).toEqual([{ path: "/item.png", ifNoneMatch: '"v1"' }]);
    expect(later.report).toMatchObject({ described: 1, reused: 0, distinctImages: 1 });
    expect(Array.from(later.vectors)).not.toEqual(Array.from(first.vectors));
    // and the new version is the one kept
    requests.length = 0;
    await run(store, [`${base}/item.png`], 4 * HOUR);
    expect(requests).toEqual([{ path: "/item.png", ifNoneMatch: '"v2"' }]);
  });

  it("keeps nothing of a no-store answer's URL, but never decodes the same picture twice", async () => {
    const red = await solid("#c1121f");
    served.set("/private.png", { body: red, cacheControl: "no-store" });
    served.set("/copy.png", { body: red });
    const store = fileImageCache(dir);
    await run(store, [`${base}/private.png`], 0);
    requests.length = 0;
    const again = await run(store, [`${base}/private.png`, `${base}/copy.png`], 1000);
    expect(requests.map((r) => r.path).sort()).toEqual(["/copy.png", "/private.png"]);
    // both downloaded, but the picture's description came from the cache by its content
    expect(again.report).toMatchObject({ described: 2, reused: 0, distinctImages: 0 });
    const kept = (await readdir(path.join(dir, "urls"), { recursive: true })).filter((f) =>
      f.endsWith(".json"),
    );
    expect(kept).toHaveLength(1);
  });

  it("keeps an encoder's embeddings by encoder, and refetches when an encoder cannot be keyed", async () => {
    served.set("/red.png", { body: await solid("#c1121f"), etag: '"r1"' });
    const store = fileImageCache(dir);
    let encoded = 0;
    const encoder = (cacheKey?: string): ImageEncoder => ({
      name: "test",
      ...(cacheKey ? { cacheKey } : {}),
      async encode(images) {
        encoded += images.length;
        return images.map(() => Float32Array.of(1, 2, 3));
      },
    });
    await run(store, [`${base}/red.png`], 0, encoder("model-a"));
    requests.length = 0;
    const reused = await run(store, [`${base}/red.png`], 1000, encoder("model-a"));
    expect(reused.report.reused).toBe(1);
    expect(requests).toEqual([]);
    expect(encoded).toBe(1);
    // another model: the embedding is not the same, so the image is fetched and encoded again
    const other = await run(store, [`${base}/red.png`], 2000, encoder("model-b"));
    expect(other.report.reused).toBe(0);
    expect(encoded).toBe(2);
    await run(store, [`${base}/red.png`], 3000, encoder());
    expect(encoded).toBe(3);
  });

  it("treats an unreadable cache entry as a miss", async () => {
    served.set("/red.png", { body: await solid("#c1121f") });
    const store = fileImageCache(dir);
    await run(store, [`${base}/red.png`], 0);
    for (const file of await readdir(dir, { recursive: true })) {
      if (file.endsWith(".json") || file.endsWith(".bin")) {
        await writeFile(path.join(dir, file), "{ not what was written");
      }
    }
    requests.length = 0;
    const after = await run(store, [`${base}/red.png`], 1000);
    expect(requests).toHaveLength(1);
    expect(after.report).toMatchObject({ described: 1, reused: 0, failed: 0 });
  });
});

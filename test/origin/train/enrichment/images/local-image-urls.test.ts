/**
 * `file:` and `data:` image URLs from the ingestion endpoint to a training run: what the origin stores is
 * what the image fetcher reads, under the same IMAGE_FILE_ROOT.
 */
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import sharp from "sharp";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { imageUrlRules, loadOriginConfig } from "../../../../../origin/config.ts";
import { contentOptions, runTrainingPipeline } from "../../../../../origin/train/index.ts";
import { sendBatch, startTestOrigin, type TestOrigin } from "../../../support/origin-app.ts";

let root: string;
let outside: string;
let origin: TestOrigin;

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), "edgewise-images-"));
  outside = await mkdtemp(join(tmpdir(), "edgewise-outside-"));
  origin = await startTestOrigin(undefined, {
    imageUrls: imageUrlRules(loadOriginConfig({ IMAGE_FILE_ROOT: root })),
  });
});
afterAll(async () => {
  await origin?.close();
  await rm(root, { recursive: true, force: true });
  await rm(outside, { recursive: true, force: true });
});

const solid = (background: string) =>
  sharp({ create: { width: 24, height: 24, channels: 3, background } })
    .png()
    .toBuffer();

describe("file: and data: image URLs", () => {
  it("stores the ones the fetcher may read, refuses the rest by index, and training describes the stored ones", async () => {
    await writeFile(join(root, "red.png"), await solid("#d62828"));
    await writeFile(join(outside, "blue.png"), await solid("#003049"));
    const dataUrl = `data:image/png;base64,${(await solid("#fcbf49")).toString("base64")}`;
    const ts = Date.UTC(2026, 10, 1);
    const item = (n: number, image_url: string) => ({
      event_id: `item-${n}`,
      type: "item",
      item_id: `i${n}`,
      ts,
      source: "import",
      title: `item ${n}`,
      image_url,
    });
    const response = await sendBatch(origin.app, [
      item(0, pathToFileURL(join(root, "red.png")).href),
      item(1, dataUrl),
      item(2, pathToFileURL(join(outside, "blue.png")).href),
      item(3, "data:image/svg+xml;base64,PHN2Zz4="),
      ...Array.from({ length: 12 }, (_, e) => ({
        event_id: `view-${e}`,
        type: "view",
        user_id: `u${e % 4}`,
        item_id: `i${e % 3}`,
        ts: ts + 1000 * (e + 1),
        source: "web",
      })),
    ]);
    const body = (await response.json()) as { stored: number; rejected: { index: number; error: string }[] };
    expect(body.stored).toBe(14);
    expect(body.rejected.map((r) => r.index)).toEqual([2, 3]);
    expect(body.rejected[0]!.error).toMatch(/inside the image folder/);

    // the image cache goes to this test's folder, not the working directory's .edgewise
    const options = contentOptions(loadOriginConfig({ IMAGE_FILE_ROOT: root, EDGEWISE_DATA_DIR: outside }));
    const release = await runTrainingPipeline({
      eventStore: origin.eventStore,
      now: new Date(ts + 86_400_000),
      options: { runId: "run-local-images", ...options },
    });
    expect(release.images).toMatchObject({ withImage: 2, described: 2, failed: 0 });
    // file: and data: images are read again each run; their descriptions are kept by content
    const again = await runTrainingPipeline({
      eventStore: origin.eventStore,
      now: new Date(ts + 86_400_000),
      options: { runId: "run-local-images-2", ...options },
    });
    expect(again.images).toMatchObject({ described: 2, distinctImages: 0 });
  });
});

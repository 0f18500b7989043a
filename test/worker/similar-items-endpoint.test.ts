/**
 * GET /items/:id/similar inside a real workerd, over a catalogue a training run built from a generated shop:
 * `vectors=content` answers from the fused content vectors (categories, words, item2vec), also for items
 * nobody has interacted with, and ranks exactly as the int8 reference scorer does over that table.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type Catalog, decodeCatalog } from "../../models/catalog/index.ts";
import type { TrainedRelease } from "../../origin/release/index.ts";
import { publishRelease } from "../../origin/release/publish/index.ts";
import { topKReference } from "../../wasm/int8-topk-reference.ts";
import { type GeneratedStore, trainGeneratedStore } from "../origin/train/support/trained-store.ts";
import { edgeJson, startTestEdge, type TestEdge } from "../support/local-edge.ts";

let edge: TestEdge;
let store: GeneratedStore;
let release: TrainedRelease;
let catalog: Catalog;
const categoryOf = new Map<string, string>();

beforeAll(async () => {
  ({ store, release } = await trainGeneratedStore("run-c"));
  edge = await startTestEdge();
  await publishRelease(await edge.publishTargets(), release);
  catalog = decodeCatalog(release.artifacts.find((a) => a.name === "catalog")!.bytes);
  for (const item of store.data.items) {
    categoryOf.set(item.itemId, item.category);
  }
});

afterAll(async () => {
  await edge?.dispose();
  await store?.eventStore.close();
});

interface Similar {
  item_id: string;
  score: number;
}

async function similar(itemId: string, query: string) {
  const { status, body } = await edgeJson(edge, `/items/${encodeURIComponent(itemId)}/similar?${query}`);
  return { status, body, items: (body.items ?? []) as Similar[] };
}

describe("GET /items/:id/similar?vectors=content", () => {
  it("answers from the fused content vectors, ranked as the int8 reference ranks that table", async () => {
    const itemId = store.data.items[5]!.itemId;
    const { status, body, items } = await similar(itemId, "vectors=content&k=6");
    expect(status).toBe(200);
    expect(body).toMatchObject({ item_id: itemId, degraded: false });
    expect(body.model_versions).toMatchObject({ "content-fused": "run-c" });
    const table = catalog.content!;
    expect(table.dim).toBe(release.contentVectors!.dim);
    const i = catalog.indexOf(itemId);
    const expected = topKReference(
      { data: table.values, scales: table.scales, items: catalog.items, dim: table.dim },
      table.values.subarray(i * table.dim, (i + 1) * table.dim),
      table.scales[i]!,
      6,
      Uint32Array.of(i),
    );
    expect(items.map((item) => item.item_id)).toEqual(Array.from(expected.indices, (j) => catalog.itemId(j)));
  });

  it("finds similar items for items nobody has interacted with, mostly of their own category", async () => {
    const cold = store.data.items.slice(-8);
    let same = 0;
    for (const item of cold) {
      const { status, items } = await similar(item.itemId, "vectors=content&k=5");
      expect(status).toBe(200);
      expect(items).toHaveLength(5);
      same += items.filter((other) => categoryOf.get(other.item_id) === item.category).length;
    }
    // 8 categories: 1 in 8 by chance
    expect(same / (5 * cold.length)).toBeGreaterThanOrEqual(0.8);
  });

  it("still answers from the recommender's embedding by default, where new items have their content's row", async () => {
    const itemId = store.data.items.at(-1)!.itemId;
    const { status, body, items } = await similar(itemId, "k=5");
    expect(status).toBe(200);
    expect(body.model_versions).toMatchObject({ "recs-mf": "run-c" });
    expect(items).toHaveLength(5);
  });
});

/** GET /recommendations and GET /items/:id/similar inside a real workerd, over the demo catalogue. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCatalog, encodeCatalog } from "../../models/catalog/index.ts";
import { DEFAULT_SURFACES, kvKeys } from "../../models/contracts/index.ts";
import { seedDemo } from "../../origin/dev/local-edge/seed-demo.ts";
import { topKReference } from "../../wasm/int8-topk-reference.ts";
import { type DemoEdge, edgeJson, startDemoEdge, startTestEdge } from "../support/local-edge.ts";
import { putUserShards } from "../support/user-shards.ts";

interface Item {
  item_id: string;
  score: number;
  source?: string;
  reasons?: Array<{ contribution: number }>;
}

let edge: DemoEdge;

beforeAll(async () => {
  edge = await startDemoEdge({}, { users: 10 });
  // A user whose embedding is of another model version, as a release mid-switch leaves one.
  const { seeded } = edge;
  const stale = structuredClone(seeded.users[5]!);
  stale.userId = "stale-user";
  stale.embedding!.version = "0";
  await putUserShards(await edge.kv("FEATURES"), seeded.manifest.users!.count, [...seeded.users, stale]);
});

afterAll(async () => {
  await edge?.dispose();
});

async function recommend(query: string) {
  const { status, body, headers } = await edgeJson(edge, `/recommendations?${query}`);
  return { status, body, headers, items: (body.items ?? []) as Item[] };
}

describe("GET /recommendations", () => {
  it("answers a known user from the model, excluding what they have seen", async () => {
    const user = edge.seeded.users[2]!;
    const { status, body, items } = await recommend(`user_id=${user.userId}&k=10`);
    expect(status).toBe(200);
    expect(items).toHaveLength(10);
    expect(items.every((item) => item.source === "model")).toBe(true);
    const seen = new Set(user.recentItems);
    expect(items.some((item) => seen.has(item.item_id))).toBe(false);
    expect(body).toMatchObject({ cold_start: false, degraded: false, surface: "home" });
    expect(body.decision_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.model_versions).toMatchObject({ catalog: "1", "demo-item-scorer": "1" });
  });

  it("ranks the user's top model items as the int8 reference scorer does", async () => {
    const user = edge.seeded.users[3]!;
    // Relevance only (no popularity, sentiment or diversity) on a surface published for this test.
    const models = await edge.kv("MODELS");
    const manifest = JSON.parse((await models.get(kvKeys.currentManifest, "text"))!);
    manifest.surfaces = {
      ...DEFAULT_SURFACES,
      pure: { name: "pure", excludeSeen: false, weights: { model: 1, popularity: 0, sentiment: 0 } },
    };
    await models.put(kvKeys.currentManifest, JSON.stringify(manifest));
    const { status, items } = await recommend(`user_id=${user.userId}&k=5&surface=pure`);
    expect(status).toBe(200);

    const catalog = decodeCatalog(encodeCatalog(edge.seeded.catalog));
    const table = catalog.embedding!;
    const values = Float32Array.from(user.embedding!.values);
    const scale = Math.max(...values.map(Math.abs)) / 127;
    const query = Int8Array.from(values, (v) => Math.round(v / scale));
    const expected = topKReference(
      { data: table.values, scales: table.scales, items: catalog.items, dim: table.dim },
      query,
      scale,
      5,
    );
    expect(items.map((item) => item.item_id)).toEqual(Array.from(expected.indices, (i) => catalog.itemId(i)));
  });

  it("gives an unknown user the cold-start answer, not an error", async () => {
    const { status, body, items } = await recommend("user_id=never-seen&k=4");
    expect(status).toBe(200);
    expect(body).toMatchObject({ cold_start: true, degraded: false });
    expect(items).toHaveLength(4);
    expect(items.every((item) => item.source === "popular")).toBe(true);
    // The demo's popularity falls with the item number; diversity may reorder within the head.
    expect(items[0]!.item_id).toBe("item-0");
    expect(items.every((item) => Number(item.item_id.slice(5)) < 20)).toBe(true);
  });

  it("honours category and price filters and explains every score", async () => {
    const { status, items } = await recommend("user_id=demo-1&k=6&category=books&price_max=50&explain=1");
    expect(status).toBe(200);
    expect(items.length).toBeGreaterThan(0);
    const catalog = edge.seeded.catalog;
    for (const item of items) {
      const index = catalog.itemIds.indexOf(item.item_id);
      expect(catalog.categories![index]).toContain("books");
      expect(Number(catalog.price![index])).toBeLessThanOrEqual(50);
      const total = item.reasons!.reduce((sum, reason) => sum + reason.contribution, 0);
      expect(total).toBeCloseTo(item.score, 6);
    }
  });

  it("rejects malformed queries with 400 and a message", async () => {
    for (const query of [
      "",
      "user_id=a&k=0",
      "user_id=a&k=abc",
      "user_id=a&price_min=9&price_max=1",
      "user_id=a&surface=attic",
    ]) {
      const { status, body } = await recommend(query);
      expect(status, query).toBe(400);
      expect((body.error as { message: string }).message.length).toBeGreaterThan(5);
    }
  });

  it("refuses a NUL user_id on /recommendations with 400", async () => {
    for (const query of [
      "user_id=%00",
      "user_id=demo-1%00",
      "user_id=a%1Fb",
      "user_id=demo-1&exclude=item-1,%00",
    ]) {
      const { status, body } = await recommend(query);
      expect(status, query).toBe(400);
      const error = body.error as { code: string; message: string };
      expect(error.code).toBe("invalid_query");
      expect(error.message).toMatch(/user_id|item_id/);
    }
  });

  it("answers 400, not 500, for surfaces named like Object.prototype properties", async () => {
    for (const surface of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const { status, body } = await recommend(`user_id=demo-1&surface=${surface}`);
      expect(status, surface).toBe(400);
      expect((body.error as { code: string }).code).toBe("unknown_surface");
    }
  });

  it("reports the time spent in features, the catalogue and the decision engine", async () => {
    const timing = (await recommend("user_id=demo-4")).headers.get("server-timing") ?? "";
    for (const metric of ["features", "catalog", "decide", "total"]) {
      expect(timing).toContain(metric);
    }
  });
});

describe("GET /items/:id/similar", () => {
  it("returns the nearest items by the int8 kernel, never the item itself", async () => {
    const { status, body } = await edgeJson(edge, "/items/item-7/similar?k=5");
    expect(status).toBe(200);
    const items = body.items as Item[];
    expect(items).toHaveLength(5);
    expect(items.some((item) => item.item_id === "item-7")).toBe(false);

    const catalog = decodeCatalog(encodeCatalog(edge.seeded.catalog));
    const table = catalog.embedding!;
    const expected = topKReference(
      { data: table.values, scales: table.scales, items: catalog.items, dim: table.dim },
      table.values.subarray(7 * table.dim, 8 * table.dim),
      table.scales[7]!,
      5,
      Uint32Array.of(7),
    );
    expect(items.map((item) => item.item_id)).toEqual(Array.from(expected.indices, (i) => catalog.itemId(i)));
  });

  it("answers 404 for items named like Object.prototype properties and 400 for a NUL item id", async () => {
    for (const id of ["__proto__", "constructor", "toString"]) {
      expect((await edgeJson(edge, `/items/${id}/similar`)).status, id).toBe(404);
    }
    const { status, body } = await edgeJson(edge, "/items/item-1%00/similar");
    expect(status).toBe(400);
    expect((body.error as { code: string }).code).toBe("invalid_item_id");
  });

  it("answers 404 for an item the catalogue does not hold", async () => {
    const { status, body } = await edgeJson(edge, "/items/no-such-item/similar");
    expect(status).toBe(404);
    expect((body.error as { code: string }).code).toBe("item_not_found");
  });
});

describe("degraded answers instead of 5xx", () => {
  it("answers empty and degraded when KV holds nothing at all", async () => {
    const empty = await startTestEdge();
    try {
      const { status, body } = await edgeJson(empty, "/recommendations?user_id=demo-1");
      expect(status).toBe(200);
      expect(body).toMatchObject({ items: [], degraded: true });
      expect((body.empty_reason as { code: string }).code).toBe("catalog_unavailable");
      const similar = await edgeJson(empty, "/items/item-1/similar");
      expect(similar.status).toBe(200);
      expect(similar.body).toMatchObject({ items: [], degraded: true });
    } finally {
      await empty.dispose();
    }
  });

  it("falls back to popular items when the user's embedding is from another model version", async () => {
    const { status, body, items } = await recommend("user_id=stale-user&k=3");
    expect(status).toBe(200);
    expect(body.degraded).toBe(true);
    expect((body.degraded_causes as Array<{ code: string }>).map((cause) => cause.code)).toContain(
      "user_embedding_stale",
    );
    expect(items).toHaveLength(3);
  });

  it("keeps answering when a new manifest points at a corrupt catalogue", async () => {
    const isolated = await startTestEdge();
    try {
      const kv = { models: await isolated.kv("MODELS"), features: await isolated.kv("FEATURES") };
      const { manifest } = await seedDemo(kv, { users: 3 });
      const corrupt = structuredClone(manifest);
      const entry = corrupt.artifacts!.catalog!;
      const bytes = new Uint8Array((await kv.models.get(entry.keys[0]!, "arrayBuffer"))!);
      bytes[100]! ^= 0xff;
      entry.version = "corrupt";
      entry.keys = ["artifact/catalog/corrupt/0"];
      await kv.models.put(entry.keys[0]!, bytes);
      corrupt.version += 1;
      await kv.models.put(kvKeys.currentManifest, JSON.stringify(corrupt));

      const { status, body } = await edgeJson(isolated, "/recommendations?user_id=demo-1");
      expect(status).toBe(200);
      expect(body).toMatchObject({ degraded: true, items: [] });
      expect((await edgeJson(isolated, "/health")).status).toBe(200);
    } finally {
      await isolated.dispose();
    }
  });
});

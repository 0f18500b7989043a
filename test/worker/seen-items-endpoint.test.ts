/**
 * A heavy user (1,200 distinct items seen) asks GET /recommendations of the built Worker inside workerd,
 * after the real pipeline trained and published a release of over 4,096 items: so the catalogue carries
 * its IVF index and stores items list by list, and the seen set's indices must be the encoded
 * catalogue's. None of the 1,200 is shown, though a surface that allows seen items shows many of them,
 * most older than the 200 recent ids the record also holds.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCatalog } from "../../models/catalog/index.ts";
import {
  DEFAULT_SURFACES,
  IngestRecord,
  type IngestRecordInput,
  kvKeys,
  type UserFeatures,
} from "../../models/contracts/index.ts";
import { fixedTargets } from "../../origin/release/index.ts";
import { createMiniflareKvWriter } from "../../origin/release/publish/index.ts";
import { createModelRegistry } from "../../origin/release/registry/index.ts";
import { runTrainingCycle } from "../../origin/train/index.ts";
import { type GeneratedStore, openGeneratedStore } from "../origin/train/support/trained-store.ts";
import { edgeJson, startTestEdge, type TestEdge } from "../support/local-edge.ts";

const HEAVY = "heavy-reader";
const HEAVY_ITEMS = 1_200;
/** The home surface's largest k. */
const K = 50;

let edge: TestEdge;
let store: GeneratedStore;
let record: UserFeatures;
/** The heavy user's items, oldest first. */
let seen: string[];

/**
 * The heavy user reads the most popular items, one a minute, the most popular first: so what the model
 * ranks highest for them is older than their 200 most recent items.
 */
function heavyHistory(
  data: GeneratedStore["data"],
  endMs: number,
): Array<IngestRecordInput & { item_id: string }> {
  const users = new Map<string, Set<string>>();
  for (const r of data.records) {
    if (r.type !== "user" && r.type !== "item" && r.item_id !== undefined) {
      users.set(r.item_id, (users.get(r.item_id) ?? new Set()).add(r.user_id));
    }
  }
  const popular = data.items
    .map((item) => item.itemId)
    .sort((a, b) => (users.get(b)?.size ?? 0) - (users.get(a)?.size ?? 0) || (a < b ? -1 : 1))
    .slice(0, HEAVY_ITEMS);
  return popular.map((itemId, i) => ({
    event_id: `heavy-${i}`,
    type: "view" as const,
    user_id: HEAVY,
    item_id: itemId,
    ts: endMs - (HEAVY_ITEMS - i) * 60_000,
    source: "test",
  }));
}

beforeAll(async () => {
  edge = await startTestEdge({ FEATURE_TTL_SECONDS: "0" });
  store = await openGeneratedStore({ users: 300, items: 4_200, seed: 5 });
  const history = heavyHistory(store.data, store.now.getTime() - 3_600_000);
  seen = history.map((event) => event.item_id);
  await store.eventStore.insertBatch(history.map((event) => IngestRecord.parse(event)));
  const models = await edge.kv("MODELS");
  const features = await edge.kv("FEATURES");
  const result = await runTrainingCycle(
    {
      eventStore: store.eventStore,
      registry: createModelRegistry(store.database.db),
      targets: fixedTargets({
        models: createMiniflareKvWriter(models),
        features: createMiniflareKvWriter(features),
      }),
    },
    { trigger: "manual", publish: true, tolerance: 0.25 },
  );
  expect(result.outcome, result.message).toBe("published");
  const catalog = result.release!.artifacts.find((artifact) => artifact.name === "catalog")!;
  // Over INDEX_MIN_ITEMS: the encoder reorders the items into IVF lists.
  expect(decodeCatalog(catalog.bytes).header.index).not.toBeNull();
  record = result.release!.users.find((user) => user.userId === HEAVY)!;

  // A surface that shows seen items, to prove the heavy user's answer would hold them otherwise.
  const manifest = JSON.parse((await models.get(kvKeys.currentManifest, "text"))!);
  manifest.surfaces = {
    ...manifest.surfaces,
    rewatch: { ...DEFAULT_SURFACES.home, name: "rewatch", excludeSeen: false },
  };
  await models.put(kvKeys.currentManifest, JSON.stringify(manifest));
}, 600_000);

afterAll(async () => {
  await edge?.dispose();
  await store?.eventStore.close();
});

async function recommend(surface: string) {
  const { status, body } = await edgeJson(
    edge,
    `/recommendations?user_id=${HEAVY}&k=${K}&surface=${surface}`,
  );
  expect(status, JSON.stringify(body)).toBe(200);
  return body as {
    items: Array<{ item_id: string; source: string }>;
    degraded: boolean;
    cold_start: boolean;
  };
}

describe("a heavy user's seen items", () => {
  it("are all in the user's record: a seen set of 1,200, and the 200 most recent as ids", () => {
    expect(record.seen).toMatchObject({ count: HEAVY_ITEMS });
    expect(record.recentItems).toEqual(seen.slice(-200).reverse());
  });

  it("are never shown, though the answer is the model's, full and not degraded", async () => {
    const answer = await recommend("home");
    expect(answer).toMatchObject({ degraded: false, cold_start: false });
    expect(answer.items).toHaveLength(K);
    expect(answer.items.some((item) => item.source === "model")).toBe(true);
    const shown = new Set(seen);
    expect(answer.items.filter((item) => shown.has(item.item_id))).toEqual([]);
  });

  it("would be shown, most of them older than the recent ids, where the surface allows seen items", async () => {
    const answer = await recommend("rewatch");
    const older = new Set(seen.slice(0, -200));
    expect(answer.items.filter((item) => older.has(item.item_id)).length).toBeGreaterThan(5);
  });
});

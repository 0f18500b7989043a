/**
 * The whole product in one path: a generated shop (users in taste clusters over item categories) is ingested
 * through the origin's HTTP endpoint into PGlite on disk, trained, gated and published to a real workerd's
 * KV, and answered by GET /recommendations; a new event changes the answer after the next publish, and a
 * rollback brings the earlier answer back. Expectations come from the generator's ground truth (clusters,
 * histories, item popularity), never from the code under test.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { OpenAPIHono } from "@hono/zod-openapi";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { IngestRecordInput } from "../../models/contracts/index.ts";
import { generateTasteClusterData, type TasteClusterData } from "../../origin/dev/sample-data/index.ts";
import { createPostgresJsonbRawPayloadStore } from "../../origin/ingest/raw/index.ts";
import { createSqlEventStore, type EventStore, openPgliteDatabase } from "../../origin/ingest/store/index.ts";
import { fixedTargets, rollbackRelease } from "../../origin/release/index.ts";
import { createMiniflareKvWriter, type PublishTargets } from "../../origin/release/publish/index.ts";
import { createModelRegistry, type ModelRegistry } from "../../origin/release/registry/index.ts";
import { createOriginApp } from "../../origin/server/index.ts";
import { runTrainingCycle, type TrainingCycleResult } from "../../origin/train/index.ts";
import { edgeJson, startTestEdge, type TestEdge } from "../support/local-edge.ts";

const INGEST_KEY = "e2e-ingest-key-0123456789";
// The gate is tested on its own (test/origin/release/registry); here a retrain on nearly the same data must publish.
const TOLERANCE = 0.25;

interface Answer {
  status: number;
  coldStart: boolean;
  degraded: boolean;
  items: Array<{ item_id: string; score: number }>;
}

let dir: string;
let eventStore: EventStore;
let registry: ModelRegistry;
let app: OpenAPIHono;
let edge: TestEdge;
let targets: PublishTargets;
let data: TasteClusterData;
const categoryOf = new Map<string, string>();
const history = new Map<string, Set<string>>();

async function ingest(records: IngestRecordInput[]): Promise<void> {
  for (let from = 0; from < records.length; from += 5000) {
    const response = await app.request("/v1/events/batch", {
      method: "POST",
      headers: { "content-type": "application/x-ndjson", authorization: `Bearer ${INGEST_KEY}` },
      body: records
        .slice(from, from + 5000)
        .map((record) => JSON.stringify(record))
        .join("\n"),
    });
    const body = (await response.json()) as { stored: number; rejected: unknown[] };
    expect(response.status).toBe(200);
    expect(body.rejected).toEqual([]);
  }
  for (const record of records) {
    if (record.type !== "user" && record.type !== "item" && record.item_id !== undefined) {
      const seen = history.get(record.user_id) ?? new Set();
      seen.add(record.item_id);
      history.set(record.user_id, seen);
    }
  }
}

async function recommend(userId: string): Promise<Answer> {
  const { status, body } = await edgeJson(edge, `/recommendations?user_id=${userId}&k=10`);
  return {
    status,
    coldStart: body.cold_start as boolean,
    degraded: body.degraded as boolean,
    items: (body.items ?? []) as Answer["items"],
  };
}

async function trainAndPublish(): Promise<TrainingCycleResult> {
  const result = await runTrainingCycle(
    { eventStore, registry, targets: fixedTargets(targets) },
    { trigger: "manual", publish: true, tolerance: TOLERANCE },
  );
  expect(result.message).not.toMatch(/failed/);
  expect(result.outcome).toBe("published");
  return result;
}

/** The generated items each user's unseen top 10 by popularity would hold (distinct users per item). */
function popularityTop10(userId: string): string[] {
  const users = new Map<string, number>();
  for (const seen of history.values()) {
    for (const item of seen) {
      users.set(item, (users.get(item) ?? 0) + 1);
    }
  }
  const seen = history.get(userId) ?? new Set();
  return [...users]
    .filter(([item]) => !seen.has(item))
    .sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))
    .slice(0, 10)
    .map(([item]) => item);
}

function inClusterShare(userId: string, itemIds: readonly string[]): number {
  const user = data.users.find((u) => u.userId === userId)!;
  const liked = new Set(data.clusterCategories[user.cluster]);
  return itemIds.filter((id) => liked.has(categoryOf.get(id)!)).length / itemIds.length;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "edgewise-e2e-"));
  const database = await openPgliteDatabase({ dataDir: join(dir, "pglite") });
  await database.migrate();
  eventStore = createSqlEventStore(database);
  registry = createModelRegistry(database.db);
  app = createOriginApp({
    eventStore,
    rawStore: createPostgresJsonbRawPayloadStore(database.sql),
    ingest: {
      apiKey: INGEST_KEY,
      maxBodyBytes: 16 * 1024 * 1024,
      maxDecompressedBytes: 16 * 1024 * 1024,
      maxEventsPerBatch: 5000,
    },
  });
  // Features are read fresh on every request, so a publish or rollback shows at once.
  edge = await startTestEdge({ FEATURE_TTL_SECONDS: "0" });
  targets = {
    models: createMiniflareKvWriter(await edge.kv("MODELS")),
    features: createMiniflareKvWriter(await edge.kv("FEATURES")),
  };
  data = generateTasteClusterData({ endMs: Date.now() - 3_600_000, users: 300, items: 200, seed: 7 });
  for (const item of data.items) {
    categoryOf.set(item.itemId, item.category);
  }
  await ingest(data.records);
});

afterAll(async () => {
  await edge?.dispose();
  await eventStore?.close();
  await rm(dir, { recursive: true, force: true });
});

describe("ingest → train → publish → serve", () => {
  const probe = "user-5";
  let firstAnswer: Answer;
  let firstManifest: number;

  it("serves personalized answers that leave out what each user has seen, clearly better than popularity", async () => {
    const result = await trainAndPublish();
    // A learned recommender serves (which one, iALS or factorised EASE, is the tuner's choice), not popularity.
    expect(["mf", "ease"]).toContain(result.release?.candidates.find((c) => c.name === "recs")?.kind);
    firstManifest = result.publish!.manifest!.version;

    const sample = data.users.filter((_, u) => u % 6 === 5).map((user) => user.userId);
    let personalised = 0;
    let popular = 0;
    for (const userId of sample) {
      const answer = await recommend(userId);
      expect(answer).toMatchObject({ status: 200, coldStart: false, degraded: false });
      expect(answer.items).toHaveLength(10);
      const ids = answer.items.map((item) => item.item_id);
      expect(ids.filter((id) => history.get(userId)!.has(id))).toEqual([]);
      personalised += inClusterShare(userId, ids) / sample.length;
      popular += inClusterShare(userId, popularityTop10(userId)) / sample.length;
    }
    // The generator puts 85 % of sessions in the cluster's categories; the home surface's diversity and
    // popularity terms pull some answers outside it, popularity alone almost all of them.
    expect(personalised).toBeGreaterThan(0.6);
    expect(personalised - popular).toBeGreaterThan(0.4);
    firstAnswer = await recommend(probe);
  });

  it("changes the answer after a new event and the next publish", async () => {
    const user = data.users.find((u) => u.userId === probe)!;
    const liked = new Set(data.clusterCategories[user.cluster]);
    const newCategory = data.categories.find((c) => !liked.has(c))!;
    const newItems = data.items
      .filter((item) => item.category === newCategory && !history.get(probe)!.has(item.itemId))
      .slice(0, 6);
    const ts = Date.now() - 60_000;
    await ingest(
      newItems.flatMap((item, i) =>
        (["view", "click", "add_to_cart", "purchase"] as const).map((type, step) => ({
          event_id: `e2e-new-${i}-${type}`,
          type,
          user_id: probe,
          item_id: item.itemId,
          ts: ts + i * 1000 + step * 100,
          source: "e2e",
        })),
      ),
    );
    await trainAndPublish();
    const after = await recommend(probe);
    expect(after).toMatchObject({ status: 200, coldStart: false, degraded: false });
    const ids = after.items.map((item) => item.item_id);
    expect(ids).not.toEqual(firstAnswer.items.map((item) => item.item_id));
    expect(ids.filter((id) => newItems.some((item) => item.itemId === id))).toEqual([]);
    // Collaborative filtering generalises: the answer moves towards the taste of the users who buy in that
    // category (its cluster's categories), not only towards the category itself.
    const theirTaste = new Set(data.clusterCategories.find((categories) => categories.includes(newCategory)));
    const inTheirTaste = (items: Answer["items"]) =>
      items.filter((item) => theirTaste.has(categoryOf.get(item.item_id)!)).length;
    expect(inTheirTaste(after.items)).toBeGreaterThan(inTheirTaste(firstAnswer.items));
  });

  it("rolls the edge back to the previous release: the earlier answer comes back", async () => {
    const replaced = (await registry.serving("recs"))!;
    const { manifest, restoredUsers } = await rollbackRelease(targets, registry);
    expect(manifest.restoredFrom).toBe(firstManifest);
    expect(restoredUsers).toBe(data.users.length);
    const answer = await recommend(probe);
    expect(answer).toMatchObject({ status: 200, coldStart: false, degraded: false });
    expect(answer.items).toEqual(firstAnswer.items);

    expect((await registry.get(replaced))?.status).toBe("rolled_back");
    const serving = await registry.serving("recs");
    expect(serving?.publishedManifestVersion).toBe(manifest.version);
    expect(serving?.version).not.toBe(replaced.version);
    const runs = await registry.listRuns();
    expect(runs.map((run) => run.outcome)).toEqual(["published", "published"]);
  });
});

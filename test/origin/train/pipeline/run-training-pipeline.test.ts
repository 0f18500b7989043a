/** A training run over a generated shop in PGlite: what it trains, measures and packages for the edge. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { decodeCatalog } from "../../../../models/catalog/index.ts";
import { decodeSeenIndices } from "../../../../models/seen/index.ts";
import {
  decodeUserFeaturesArtifact,
  NoTrainingDataError,
  type TrainedRelease,
} from "../../../../origin/release/index.ts";
import { runTrainingPipeline } from "../../../../origin/train/index.ts";
import { type GeneratedStore, trainGeneratedStore } from "../support/trained-store.ts";

let store: GeneratedStore;
let release: TrainedRelease;

beforeAll(async () => {
  ({ store, release } = await trainGeneratedStore("run-1"));
});
afterAll(async () => {
  await store?.eventStore.close();
});

const artifact = (name: string) => release.artifacts.find((a) => a.name === name)!;

describe("runTrainingPipeline", () => {
  it("trains a recommender (iALS or EASE, whichever validates better) that beats popularity", () => {
    const recs = release.candidates.find((c) => c.name === "recs")!;
    expect(recs.version).toBe("run-1");
    expect(["mf", "ease"]).toContain(recs.kind);
    expect(recs.baseline).toEqual({ name: "popularity", value: recs.metrics["popularity_ndcg@10"] });
    expect(recs.metrics["ndcg@10"]).toBeGreaterThan(1.5 * recs.metrics["popularity_ndcg@10"]!);
    expect(recs.metrics.users_evaluated).toBe(store.data.users.length);
    expect(recs.sizeBytes).toBe(artifact("catalog").bytes.length);
    expect(release.dataWindow.endMs).toBeLessThanOrEqual(store.now.getTime());
  });

  it("publishes a catalogue of every item whose embeddings match the users' model and version", () => {
    const catalog = decodeCatalog(artifact("catalog").bytes);
    expect(catalog.items).toBe(store.data.items.length);
    expect(catalog.embedding).toMatchObject({ model: "recs-mf", version: "run-1" });
    expect(catalog.content).toMatchObject({ model: "content-fused", version: "run-1" });
    const withEmbedding = release.users.filter((user) => user.embedding);
    expect(withEmbedding).toHaveLength(store.data.users.length);
    for (const user of withEmbedding) {
      expect(user.embedding).toMatchObject({ model: "recs-mf", version: "run-1" });
      expect(user.embedding!.values).toHaveLength(catalog.embedding!.dim);
    }
  });

  it("gives items nobody touched an embedding from their content, near the items of their category", () => {
    const catalog = decodeCatalog(artifact("catalog").bytes);
    const cold = store.data.items.slice(-8).map((item) => catalog.indexOf(item.itemId));
    for (const i of cold) {
      expect(catalog.popularity[i]).toBe(0);
      const table = catalog.embedding!;
      expect(table.values.subarray(i * table.dim, (i + 1) * table.dim).some((v) => v !== 0)).toBe(true);
    }
    const categoryOf = new Map(store.data.items.map((item) => [item.itemId, item.category]));
    // chance is 1 in 8; the embedding rows also carry the popularity content predicts
    expect(sameCategoryShare(catalog, catalog.embedding!, cold, categoryOf)).toBeGreaterThanOrEqual(0.5);
    expect(sameCategoryShare(catalog, catalog.content!, cold, categoryOf)).toBeGreaterThanOrEqual(0.8);
  });

  it("records the content vectors' parts, measured weights and cold-start map on the catalogue", () => {
    const spec = artifact("catalog").contentVectors!;
    expect(release.contentVectors).toEqual(spec);
    expect(spec.parts.map((part) => part.name)).toEqual(["categories", "text-tfidf", "item2vec"]);
    expect(spec.parts.reduce((sum, part) => sum + part.weight, 0)).toBeCloseTo(1, 9);
    expect(spec.weighting.method).toBe("validation");
    expect(spec.coldStart).toMatchObject({ items: 8, weighting: { method: "validation" } });
    expect(decodeCatalog(artifact("catalog").bytes).content!.dim).toBe(spec.dim);
    expect(
      release.notes.some((note) => /^content vectors: categories .*8 new items placed from/.test(note)),
    ).toBe(true);
  });

  it("keeps each user's distinct recent items, most recent first", () => {
    const user = store.data.users[17]!.userId;
    const events = store.data.records
      .filter((r) => r.type !== "user" && r.type !== "item" && r.user_id === user && r.item_id)
      .map((r) => ({ item: (r as { item_id: string }).item_id, ts: r.ts as number }))
      .sort((a, b) => b.ts - a.ts);
    const expected = [...new Set(events.map((e) => e.item))];
    expect(release.users.find((u) => u.userId === user)?.recentItems).toEqual(expected);
  });

  it("keeps every item of each user's history as a seen set over the published catalogue", () => {
    const catalog = decodeCatalog(artifact("catalog").bytes);
    const histories = new Map<string, Set<string>>();
    for (const r of store.data.records) {
      if (r.type !== "user" && r.type !== "item" && r.item_id) {
        histories.set(r.user_id, (histories.get(r.user_id) ?? new Set()).add(r.item_id));
      }
    }
    expect(histories.size).toBe(store.data.users.length);
    for (const [userId, items] of histories) {
      const seen = release.users.find((u) => u.userId === userId)?.seen;
      expect(seen, userId).toMatchObject({ catalog: catalog.header.version, count: items.size });
      const indices = decodeSeenIndices(seen!.indices, seen!.count, catalog.items);
      expect(new Set(Array.from(indices, (i) => catalog.itemId(i))), userId).toEqual(items);
    }
  });

  it("trains the sentiment and behaviour models the edge runs, with their preprocessing", () => {
    const sentiment = release.models.find((m) => m.name === "sentiment")!;
    expect(sentiment.preprocessing?.kind).toBe("text-features");
    expect(sentiment.metrics?.auc).toBeGreaterThan(0.8);
    const behaviour = release.models.find((m) => m.name === "behaviour")!;
    expect(behaviour).toMatchObject({ featureVector: "behaviour", preprocessing: { kind: "tabular" } });
    expect(behaviour.metrics?.auc).toBeGreaterThan(0.55);
    const width = behaviour.io.inputs[0]!.shape[1];
    const vectors = release.users.flatMap((user) => (user.vectors.behaviour ? [user.vectors.behaviour] : []));
    expect(vectors.length).toBeGreaterThan(0.9 * store.data.users.length);
    expect(vectors.every((vector) => vector.length === width)).toBe(true);
    expect(release.candidates.map((c) => c.name).sort()).toEqual(["behaviour", "recs", "sentiment"]);
  });

  it("keeps a snapshot of every user's features with the release", () => {
    expect(decodeUserFeaturesArtifact(artifact("user-features").bytes)).toEqual(release.users);
  });

  it("ends the window at the newest stored interaction, not at the clock", async () => {
    const muchLater = new Date(store.now.getTime() + 400 * 86_400_000);
    const later = await runTrainingPipeline({
      eventStore: store.eventStore,
      now: muchLater,
      options: { runId: "run-later" },
    });
    expect(later.dataWindow).toEqual(release.dataWindow);
    expect(later.counts.events).toBe(release.counts.events);
  });

  it("refuses to train when the window holds no interaction", async () => {
    await expect(
      runTrainingPipeline({
        eventStore: store.eventStore,
        now: store.now,
        options: { window: { untilMs: release.dataWindow.startMs } },
      }),
    ).rejects.toThrow(NoTrainingDataError);
  });
});

/** Share of each item's 5 nearest items (cosine over the int8 table) that share its category. */
function sameCategoryShare(
  catalog: ReturnType<typeof decodeCatalog>,
  table: NonNullable<ReturnType<typeof decodeCatalog>["content"]>,
  items: readonly number[],
  categoryOf: ReadonlyMap<string, string>,
): number {
  const row = (i: number) => Array.from(table.values.subarray(i * table.dim, (i + 1) * table.dim));
  const cosine = (a: number[], b: number[]) =>
    a.reduce((s, v, d) => s + v * b[d]!, 0) / (Math.hypot(...a) * Math.hypot(...b) || 1);
  let same = 0;
  for (const i of items) {
    const own = categoryOf.get(catalog.itemId(i));
    const nearest = Array.from({ length: catalog.items }, (_, j) => j)
      .filter((j) => j !== i)
      .map((j) => [cosine(row(i), row(j)), j] as const)
      .sort((a, b) => b[0] - a[0] || a[1] - b[1])
      .slice(0, 5);
    same += nearest.filter(([, j]) => categoryOf.get(catalog.itemId(j)) === own).length;
  }
  return same / (5 * items.length);
}

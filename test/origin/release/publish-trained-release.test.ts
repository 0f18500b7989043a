/**
 * Gate, publish and rollback bookkeeping of trained releases: what reaches KV and what the registry
 * records. KV is a Map here; the end-to-end test does the same against a real workerd.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { decodeCatalog } from "../../../models/catalog/index.ts";
import { kvKeys, type Manifest } from "../../../models/contracts/index.ts";
import {
  encodeUserFeaturesArtifact,
  publishTrainedRelease,
  rollbackRelease,
  type TrainedRelease,
  USER_FEATURES_ARTIFACT,
} from "../../../origin/release/index.ts";
import { publishArtifacts, readCurrentManifest } from "../../../origin/release/publish/index.ts";
import { createModelRegistry, type ModelRegistry } from "../../../origin/release/registry/index.ts";
import { runTrainingPipeline } from "../../../origin/train/index.ts";
import { readShardedUser } from "../../support/user-shards.ts";
import { type GeneratedStore, openGeneratedStore } from "../train/support/trained-store.ts";
import { createMemoryTargets } from "./support/memory-kv-writer.ts";

let store: GeneratedStore;
let registry: ModelRegistry;
let trained: TrainedRelease;
let targets: ReturnType<typeof createMemoryTargets>;

/** The trained release under another run id, with its recommender's nDCG scaled by `ndcgFactor`. */
function variant(
  runId: string,
  ndcgFactor = 1,
  options: { withoutSentiment?: boolean; behaviourAuc?: number } = {},
): TrainedRelease {
  const rename = <T extends { version: string }>(item: T): T => ({ ...item, version: runId });
  const keep = (name: string) => !(options.withoutSentiment && name === "sentiment");
  const users = trained.users.map((user) => ({ ...user, updatedAt: runId }));
  return {
    ...trained,
    runId,
    models: trained.models.filter((m) => keep(m.name)).map(rename),
    artifacts: trained.artifacts.map((a) =>
      a.name === USER_FEATURES_ARTIFACT
        ? { ...a, version: runId, bytes: encodeUserFeaturesArtifact(users) }
        : rename(a),
    ),
    candidates: trained.candidates
      .filter((c) => keep(c.name))
      .map((c) =>
        c.name === "recs"
          ? { ...c, version: runId, metrics: { ...c.metrics, "ndcg@10": c.metrics["ndcg@10"]! * ndcgFactor } }
          : c.name === "behaviour" && options.behaviourAuc !== undefined
            ? { ...c, version: runId, metrics: { ...c.metrics, auc: options.behaviourAuc } }
            : rename(c),
      ),
    users,
  };
}

const current = async () => (await readCurrentManifest(targets.models)) as Manifest;

beforeAll(async () => {
  store = await openGeneratedStore({ users: 120, items: 80 });
  registry = createModelRegistry(store.database.db);
  trained = await runTrainingPipeline({ eventStore: store.eventStore, now: store.now });
});
afterAll(async () => {
  await store?.eventStore.close();
});
beforeEach(async () => {
  targets = createMemoryTargets();
  await store.database.sql.query("TRUNCATE model_versions, training_runs");
});

describe("publishing a trained release", () => {
  it("publishes a first release and records its models as serving", async () => {
    const outcome = await publishTrainedRelease(targets, registry, variant("a"), { tolerance: 0.02 });
    expect(outcome.published).toBe(true);
    const manifest = await current();
    expect(Object.keys(manifest.artifacts ?? {}).sort()).toEqual(["catalog", "user-features"]);
    expect(Object.keys(manifest.models).sort()).toEqual(["behaviour", "sentiment"]);
    expect(manifest.users).toMatchObject({ users: trained.users.length });
    expect(targets.features.entries.size).toBe(manifest.users!.count);
    for (const name of ["recs", "sentiment", "behaviour"]) {
      expect(await registry.serving(name)).toMatchObject({
        version: "a",
        publishedManifestVersion: manifest.version,
      });
    }
  });

  it("refuses a release whose recommender is worse than the serving one, and changes nothing in KV", async () => {
    await publishTrainedRelease(targets, registry, variant("a"), { tolerance: 0.02 });
    const before = await current();
    const outcome = await publishTrainedRelease(targets, registry, variant("b", 0.9), { tolerance: 0.02 });
    expect(outcome.published).toBe(false);
    expect(outcome.message).toMatch(/recs: ndcg@10 .* 10\.0 % worse/);
    expect((await current()).version).toBe(before.version);
    expect(await registry.get({ name: "recs", version: "b" })).toMatchObject({ status: "rejected" });
    expect((await registry.get({ name: "sentiment", version: "b" }))?.notes).toMatch(
      /rejected by the gate on another model/,
    );
    expect((await registry.serving("recs"))?.version).toBe("a");
  });

  it("publishes a refused release when forced, and records that it was forced", async () => {
    await publishTrainedRelease(targets, registry, variant("a"), { tolerance: 0.02 });
    const outcome = await publishTrainedRelease(targets, registry, variant("b", 0.8), {
      tolerance: 0.02,
      force: true,
    });
    expect(outcome.published).toBe(true);
    expect((await registry.serving("recs"))?.version).toBe("b");
    expect((await registry.get({ name: "recs", version: "b" }))?.notes).toMatch(/forced past the gate/);
  });

  it("leaves out a model that does not beat its baseline, records why, and publishes the rest", async () => {
    await publishTrainedRelease(targets, registry, variant("a"), { tolerance: 0.02 });
    expect(trained.candidates.find((c) => c.name === "behaviour")?.baseline).toEqual({
      name: "base rate",
      value: 0.5,
    });
    // AUC 0.505 against the base rate's 0.5: within the 2 % margin, so not better than no model.
    const outcome = await publishTrainedRelease(targets, registry, variant("b", 1, { behaviourAuc: 0.505 }), {
      tolerance: 0.02,
      force: true,
    });
    expect(outcome.published).toBe(true);
    expect(outcome.decisions.find((d) => d.name === "behaviour")).toMatchObject({
      accepted: false,
      refusedBy: "baseline",
    });
    const manifest = await current();
    expect(manifest.models.behaviour).toBeUndefined();
    expect(manifest.models.sentiment?.version).toBe("b");
    expect(outcome.carriedOver).not.toContain("behaviour@a");
    const refused = await registry.get({ name: "behaviour", version: "b" });
    expect(refused?.status).toBe("rejected");
    expect(refused?.notes).toMatch(
      /auc 0\.5050 vs base rate 0\.5000: does not beat the baseline by the 2\.0 % margin/,
    );
    expect(await registry.get({ name: "behaviour", version: "a" })).toMatchObject({ status: "rolled_back" });
    expect(await registry.serving("behaviour")).toBeNull();
    expect((await registry.serving("recs"))?.version).toBe("b");
  });

  it("serves popularity when the recommender cannot beat it, and records the refusal", async () => {
    // A margin no model meets (11 × popularity's nDCG): the same path as a recommender that learned nothing.
    const strict = await runTrainingPipeline({
      eventStore: store.eventStore,
      now: store.now,
      options: { runId: "strict", recs: { baselineMargin: 10 } },
    });
    const recs = strict.candidates.find((c) => c.name === "recs")!;
    expect(recs).toMatchObject({ sizeBytes: 0, baseline: { name: "popularity" } });
    expect(["mf", "ease"]).toContain(recs.kind);
    const catalog = strict.artifacts.find((a) => a.name === "catalog")!;
    expect(decodeCatalog(catalog.bytes).embedding).toBeNull();
    expect(strict.users.every((user) => user.embedding === undefined)).toBe(true);
    const outcome = await publishTrainedRelease(targets, registry, strict, {
      tolerance: 0.02,
      baselineMargin: 10,
    });
    expect(outcome.published).toBe(true);
    expect((await current()).artifacts?.catalog?.version).toBe("strict");
    const refused = await registry.get({ name: "recs", version: "strict" });
    expect(refused?.status).toBe("rejected");
    expect(refused?.notes).toMatch(/vs popularity .* does not beat the baseline by the 1000\.0 % margin/);
    expect(await registry.serving("recs")).toBeNull();
  });

  it("keeps serving the sentiment model when a run could not train one", async () => {
    await publishTrainedRelease(targets, registry, variant("a"), { tolerance: 0.02 });
    const outcome = await publishTrainedRelease(
      targets,
      registry,
      variant("b", 1, { withoutSentiment: true }),
      {
        tolerance: 0.02,
      },
    );
    expect(outcome.carriedOver).toEqual(["sentiment@a"]);
    const manifest = await current();
    expect(manifest.models.sentiment?.version).toBe("a");
    expect(manifest.artifacts?.catalog?.version).toBe("b");
    expect(await registry.serving("sentiment")).toMatchObject({
      version: "a",
      publishedManifestVersion: manifest.version,
    });
  });
});

describe("a corrupt manifest/current", () => {
  const corrupt = (value: string) => targets.models.putMany([{ key: kvKeys.currentManifest, value }]);

  it("publish --force rewrites a corrupt manifest/current from the manifest/<n> history", async () => {
    await publishTrainedRelease(targets, registry, variant("a"), { tolerance: 0.02 });
    const first = await current();
    await corrupt("{not json");

    const outcome = await publishTrainedRelease(
      targets,
      registry,
      variant("b", 1, { withoutSentiment: true }),
      { tolerance: 0.02, force: true },
    );
    expect(outcome.published).toBe(true);
    expect(outcome.repaired).toMatchObject({ reason: "not JSON", fromVersion: first.version });
    expect(outcome.message).toContain(`rewriting it from manifest/${first.version}`);
    // The stand-in is the release that served: its sentiment model is carried over as from a good pointer.
    expect(outcome.carriedOver).toEqual(["sentiment@a"]);
    const manifest = await current();
    expect(manifest).toEqual(outcome.manifest);
    expect(manifest).toMatchObject({ version: first.version + 1, previousVersion: first.version });
    expect(manifest.models.sentiment).toEqual(first.models.sentiment);
    expect(await registry.serving("recs")).toMatchObject({
      version: "b",
      publishedManifestVersion: manifest.version,
    });
  });

  it("rolls back from the newest readable release when manifest/current fails the schema", async () => {
    await publishTrainedRelease(targets, registry, variant("a"), { tolerance: 0.02 });
    const first = await current();
    await publishTrainedRelease(targets, registry, variant("b"), { tolerance: 0.02 });
    const second = await current();
    await corrupt(JSON.stringify({ version: "seven", models: [] }));

    const { manifest, repaired } = await rollbackRelease(targets, registry);
    expect(repaired).toMatchObject({ fromVersion: second.version });
    expect(repaired?.reason).toMatch(/^not a valid manifest/);
    expect(manifest).toMatchObject({
      version: second.version + 1,
      previousVersion: second.version,
      restoredFrom: first.version,
      models: first.models,
    });
    expect(await current()).toEqual(manifest);
    expect((await registry.get({ name: "recs", version: "b" }))?.status).toBe("rolled_back");
  });
});

describe("artifacts the pipeline does not produce", () => {
  it("keeps the learning loop's bandit policies through a retrain", async () => {
    await publishTrainedRelease(targets, registry, variant("a"), { tolerance: 0.02 });
    const policies = new TextEncoder().encode('{"policies":"learned elsewhere"}');
    await publishArtifacts(targets, [{ name: "bandit", version: "p1", bytes: policies }]);
    const outcome = await publishTrainedRelease(targets, registry, variant("b"), { tolerance: 0.5 });
    expect(outcome.published).toBe(true);
    expect(outcome.carriedOver).toContain("bandit@p1");
    const manifest = await current();
    expect(manifest.artifacts?.bandit?.version).toBe("p1");
    expect(manifest.artifacts?.catalog?.version).toBe("b");
  });
});

describe("rolling back a trained release", () => {
  it("restores the earlier manifest and its users' features, and records who left service", async () => {
    await publishTrainedRelease(targets, registry, variant("a"), { tolerance: 0.02 });
    const first = await current();
    await publishTrainedRelease(targets, registry, variant("b"), { tolerance: 0.02 });
    const userId = trained.users[0]!.userId;
    expect((await readShardedUser(targets.features, await current(), userId))?.updatedAt).toBe("b");

    const { manifest, restoredUsers } = await rollbackRelease(targets, registry);
    expect(manifest).toMatchObject({
      restoredFrom: first.version,
      artifacts: first.artifacts,
      models: first.models,
    });
    expect(restoredUsers).toBe(trained.users.length);
    expect((await readShardedUser(targets.features, manifest, userId))?.updatedAt).toBe("a");
    for (const name of ["recs", "sentiment", "behaviour"]) {
      expect((await registry.get({ name, version: "b" }))?.status).toBe("rolled_back");
      expect(await registry.serving(name)).toMatchObject({
        version: "a",
        publishedManifestVersion: manifest.version,
      });
    }
  });
});

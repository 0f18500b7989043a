/**
 * The publish protocol against a real workerd edge: what a release writes, in which order, what it
 * skips, and what the edge serves afterwards (MANIFEST_TTL_SECONDS=0, so at once).
 */
import { createHash } from "node:crypto";
import { describe, expect, it } from "vitest";
import { encodeCatalog } from "../../../../models/catalog/index.ts";
import {
  type ContentVectors,
  DEFAULT_ISOLATE_BUDGET_BYTES,
  kvKeys,
} from "../../../../models/contracts/index.ts";
import { mulberry32, randomNormalArray } from "../../../../models/random.ts";
import { userShardOf } from "../../../../models/user-shards/index.ts";
import { demoUsers } from "../../../../origin/dev/local-edge/seed-demo.ts";
import { syntheticUserFeatures } from "../../../../origin/dev/sample-data/index.ts";
import { listAllKeys, type PublishTargets } from "../../../../origin/release/publish/kv-writer.ts";
import {
  readCurrentManifest,
  UnreadableManifestError,
} from "../../../../origin/release/publish/manifest-store.ts";
import { PublishError } from "../../../../origin/release/publish/publish-error.ts";
import { publishRelease } from "../../../../origin/release/publish/publish-release.ts";
import { edgeJson } from "../../../support/local-edge.ts";
import { asStored, readShardedUser } from "../../../support/user-shards.ts";
import {
  behaviourModel,
  itemScorerModel,
  probeFeatures,
  publishEdgeForSuite,
  recordingWriter,
  referenceScore,
  served,
  startCloudflarePublishTargets,
} from "./support/publish-edge.ts";

const local = publishEdgeForSuite();

describe("publishRelease", () => {
  it("serves a first release: /health shows manifest 1 and /score runs its model for a stored user", async () => {
    const users = demoUsers(3);
    const result = await publishRelease(local.targets, {
      models: [behaviourModel("first", "1", 11)],
      users,
    });
    expect(result.manifest.version).toBe(1);
    expect(result.manifest.previousVersion).toBeUndefined();
    expect(await served(local.edge, "first")).toMatchObject({ manifestVersion: 1, modelVersion: "1" });
    const byUser = await edgeJson(local.edge, "/score?model=first&user_id=demo-2");
    expect(byUser.status).toBe(200);
    const vector = users[2]!.vectors.behaviour!;
    expect(Math.abs((byUser.body.scores as number[])[0]! - referenceScore(11, vector))).toBeLessThan(1e-5);
  });

  it("serves a second release and rewrites none of the keys that did not change", async () => {
    const users = demoUsers(4);
    await publishRelease(local.targets, {
      models: [behaviourModel("second", "1", 21), itemScorerModel("second-items", "1", 22)],
      users,
    });
    const models = recordingWriter(local.targets.models);
    const features = recordingWriter(local.targets.features);
    const changedUser = { ...users[1]!, vectors: { behaviour: users[1]!.vectors.behaviour!.map((x) => -x) } };
    const result = await publishRelease(
      { models, features },
      {
        models: [behaviourModel("second", "2", 23), itemScorerModel("second-items", "1", 22)],
        users: [users[0]!, changedUser, users[2]!, users[3]!],
      },
    );
    expect(result.manifest).toMatchObject({ version: 2, previousVersion: 1 });
    expect(models.written).toEqual([
      kvKeys.modelChunk("second", "2", 0),
      kvKeys.manifest(2),
      kvKeys.currentManifest,
    ]);
    // Four users fit one shard: the changed user's shard is written again, with the others in it.
    expect(features.written).toEqual([kvKeys.userShard(1, 0)]);
    expect(result.keysUnchanged).toBe(1);
    const now = await served(local.edge, "second");
    expect(now).toMatchObject({ manifestVersion: 2, modelVersion: "2" });
    expect(Math.abs(now.score - referenceScore(23))).toBeLessThan(1e-5);
  });

  it("writes at most one KV value per 64 users, reads every user back, and rewrites only changed shards", async () => {
    // Behaviour vectors on a few users, so /score shows the edge finding them in their shards; user-1234
    // has 500 recent items of long ids, too many to share a shard, so it is stored apart.
    const probed = new Set([7, 1234, 4999]);
    const users = syntheticUserFeatures(5000).map((user, i) => ({
      ...user,
      ...(probed.has(i) ? { vectors: { behaviour: probeFeatures.map((x) => x * (1 + i / 5000)) } } : {}),
      ...(i === 1234
        ? { recentItems: Array.from({ length: 500 }, (_, j) => `a-rather-long-item-id-${j}`) }
        : {}),
    }));
    const models = recordingWriter(local.targets.models);
    const features = recordingWriter(local.targets.features);
    const first = await publishRelease(
      { models, features },
      { models: [behaviourModel("sharded", "1", 81)], users },
    );
    const layout = first.manifest.users!;
    expect(first.users).toEqual({
      users: 5000,
      shards: layout.count,
      valuesWritten: layout.count + 1,
      usersApart: 1,
      skippedUsers: 0,
    });
    expect(models.written.length + features.written.length).toBeLessThanOrEqual(5000 / 64);
    for (const user of users.filter((_, i) => i % 250 === 0 || probed.has(i))) {
      expect(await readShardedUser(local.targets.features, first.manifest, user.userId)).toEqual(
        asStored(user),
      );
    }
    for (const i of probed) {
      const scored = await edgeJson(local.edge, `/score?model=sharded&user_id=user-${i}`);
      expect(scored.status, JSON.stringify(scored.body)).toBe(200);
      const expected = referenceScore(81, users[i]!.vectors.behaviour);
      expect(Math.abs((scored.body.scores as number[])[0]! - expected)).toBeLessThan(1e-5);
    }

    models.written.length = 0;
    features.written.length = 0;
    const changed = [10, 11, 3000];
    const next = users.map((user, i) => (changed.includes(i) ? { ...user, segment: "moved" } : user));
    const second = await publishRelease(
      { models, features },
      { models: [behaviourModel("sharded", "1", 81)], users: next },
    );
    const shardsOfChanged = new Set(
      changed.map((i) => kvKeys.userShard(layout.count, userShardOf(`user-${i}`, layout.count))),
    );
    expect(second.manifest.users).toEqual(layout);
    expect(features.written.sort()).toEqual([...shardsOfChanged].sort());
    expect(second.users?.valuesWritten).toBe(shardsOfChanged.size);
    expect(models.written).toEqual([kvKeys.manifest(2), kvKeys.currentManifest]);
    expect((await readShardedUser(local.targets.features, second.manifest, "user-3000"))?.segment).toBe(
      "moved",
    );

    // A release that lists no users keeps the serving release's shards, writing none.
    features.written.length = 0;
    const third = await publishRelease(
      { models, features },
      { models: [behaviourModel("sharded", "2", 82)] },
    );
    expect(third.manifest.users).toEqual(layout);
    expect(features.written).toEqual([]);
  });

  it("leaves the edge on the previous release when a publish stops before the manifest pointer", async () => {
    await publishRelease(local.targets, { models: [behaviourModel("crash", "1", 31)] });
    const crashing = recordingWriter(local.targets.models, (key) => key === kvKeys.currentManifest);
    const interrupted = publishRelease(
      { models: crashing, features: local.targets.features },
      { models: [behaviourModel("crash", "2", 32)] },
    );
    await expect(interrupted).rejects.toThrow(/simulated crash/);
    expect(crashing.written).toEqual([kvKeys.modelChunk("crash", "2", 0), kvKeys.manifest(2)]);
    const during = await served(local.edge, "crash");
    expect(during).toMatchObject({ manifestVersion: 1, modelVersion: "1" });
    expect(Math.abs(during.score - referenceScore(31))).toBeLessThan(1e-5);

    // Retrying numbers past the orphaned manifest/2 and finds the bytes already there.
    const retried = await publishRelease(local.targets, { models: [behaviourModel("crash", "2", 32)] });
    expect(retried.manifest).toMatchObject({ version: 3, previousVersion: 1 });
    expect(retried.keysUnchanged).toBe(1);
    expect(await served(local.edge, "crash")).toMatchObject({ manifestVersion: 3, modelVersion: "2" });
  });

  it("chunks models and artifacts under the chunk size, and the edge reassembles the model", async () => {
    const rng = mulberry32(41);
    const catalogue = Uint8Array.from({ length: 5000 }, () => Math.floor(rng() * 256));
    const { manifest } = await publishRelease(
      local.targets,
      {
        models: [behaviourModel("chunked", "1", 42)],
        artifacts: [{ name: "catalogue", version: "7", bytes: catalogue }],
      },
      { chunkBytes: 1024 },
    );
    expect(manifest.models.chunked!.keys.length).toBe(Math.ceil(manifest.models.chunked!.sizeBytes / 1024));
    const artifact = manifest.artifacts!.catalogue!;
    expect(artifact).toMatchObject({ version: "7", sizeBytes: 5000 });
    expect(artifact.sha256).toBe(createHash("sha256").update(catalogue).digest("hex"));
    expect(artifact.keys).toEqual([0, 1, 2, 3, 4].map((i) => kvKeys.artifactChunk("catalogue", "7", i)));
    const stored = await Promise.all(artifact.keys.map((key) => local.targets.models.getBytes(key)));
    expect(Buffer.concat(stored.map((chunk) => chunk!))).toEqual(Buffer.from(catalogue));
    const now = await served(local.edge, "chunked");
    expect(Math.abs(now.score - referenceScore(42))).toBeLessThan(1e-5);
  });

  it("records a catalogue's content parts and weights on its manifest entry, and refuses a bad one unwritten", async () => {
    const contentVectors: ContentVectors = {
      dim: 6,
      explained: 0.93,
      parts: [
        { name: "text-tfidf", dim: 8, weight: 0.75, items: 3 },
        { name: "item2vec", dim: 4, weight: 0.25, items: 2 },
      ],
      weighting: {
        method: "validation",
        metric: "next-item-ndcg@10",
        heldOut: 40,
        score: 0.31,
        bestSinglePart: 0.27,
      },
      coldStart: {
        items: 1,
        parts: [{ name: "text-tfidf", weight: 1 }],
        lambda: 3,
        popularityPrior: 0.1,
        weighting: {
          method: "default",
          metric: "cold-ndcg@10",
          heldOut: 0,
          score: null,
          bestSinglePart: null,
        },
      },
    };
    const bytes = Uint8Array.of(1, 2, 3);
    await publishRelease(local.targets, {
      models: [behaviourModel("with-content", "1", 61)],
      artifacts: [{ name: "catalogue", version: "c1", bytes, contentVectors }],
    });
    const stored = await readCurrentManifest(local.targets.models);
    expect(stored!.artifacts!.catalogue!.contentVectors).toEqual(contentVectors);

    const before = await listAllKeys(local.targets.models, "");
    const overweight = { ...contentVectors, parts: [{ name: "text-tfidf", dim: 8, weight: 2, items: 3 }] };
    const refused = publishRelease(local.targets, {
      models: [behaviourModel("with-content", "2", 62)],
      artifacts: [{ name: "catalogue", version: "c2", bytes, contentVectors: overweight }],
    });
    await expect(refused).rejects.toThrow(/weight/);
    expect(await listAllKeys(local.targets.models, "")).toEqual(before);
  });

  it("refuses to publish a model version again with different bytes, and writes nothing", async () => {
    await publishRelease(local.targets, { models: [behaviourModel("immutable", "1", 51)] });
    const before = await listAllKeys(local.targets.models, "");
    const again = publishRelease(local.targets, {
      models: [itemScorerModel("fresh", "1", 52), behaviourModel("immutable", "1", 53)],
    });
    await expect(again).rejects.toThrow(/model immutable@1 is already in KV with different bytes/);
    expect(await listAllKeys(local.targets.models, "")).toEqual(before);
    expect(await served(local.edge, "immutable")).toMatchObject({ manifestVersion: 1 });
  });

  it("refuses names that would break the key layout, and a model named twice", async () => {
    await expect(publishRelease(local.targets, { models: [behaviourModel("a/b", "1", 61)] })).rejects.toThrow(
      PublishError,
    );
    const twice = [behaviourModel("twice", "1", 62), behaviourModel("twice", "2", 63)];
    await expect(publishRelease(local.targets, { models: twice })).rejects.toThrow(/appears twice/);
    expect(await listAllKeys(local.targets.models, "model/")).toEqual([]);
    expect(await listAllKeys(local.targets.models, "manifest/")).toEqual([]);
  });

  it("publishes through the Cloudflare REST client, riding out injected 429 and 500 responses", async () => {
    const delaysMs: number[] = [];
    const { api, targets } = await startCloudflarePublishTargets(local.edge, {
      sleep: async (ms) => void delaysMs.push(ms),
    });
    try {
      api.failNext(1, { status: 429, retryAfter: "2", route: "/bulk" });
      api.failNext(1, { status: 500, route: "/bulk" });
      const { manifest } = await publishRelease(targets, {
        models: [behaviourModel("via-api", "1", 71)],
        users: demoUsers(2),
      });
      expect(manifest.version).toBe(1);
      expect(delaysMs).toHaveLength(2);
      expect(delaysMs[0]).toBe(2000);
      expect(await served(local.edge, "via-api")).toMatchObject({ manifestVersion: 1, modelVersion: "1" });
      expect((await edgeJson(local.edge, "/score?model=via-api&user_id=demo-1")).status).toBe(200);
    } finally {
      await api.close();
    }
  });

  describe("publish rewrites a corrupt manifest/current from the manifest/<n> history", () => {
    /** Publishes release 1, corrupts the pointer with `garbage`, publishes release 2 through `targets`. */
    async function repairThrough(targets: PublishTargets, name: string, seed: number, garbage: string) {
      await publishRelease(targets, { models: [behaviourModel(name, "1", seed)] });
      await targets.models.putMany([{ key: kvKeys.currentManifest, value: garbage }]);
      await expect(readCurrentManifest(targets.models)).rejects.toBeInstanceOf(UnreadableManifestError);

      const result = await publishRelease(targets, { models: [behaviourModel(name, "2", seed + 1)] });
      expect(result.repaired?.fromVersion).toBe(1);
      expect(result.manifest).toMatchObject({ version: 2, previousVersion: 1 });
      expect(await readCurrentManifest(targets.models)).toEqual(result.manifest);
      const now = await served(local.edge, name);
      expect(now).toMatchObject({ manifestVersion: 2, modelVersion: "2" });
      expect(now.score).toBeCloseTo(referenceScore(seed + 1), 2);
      return result;
    }

    it("through Miniflare's KV, for a pointer that is not JSON", async () => {
      const { repaired } = await repairThrough(local.targets, "fix-mf", 91, "{not json");
      expect(repaired?.reason).toBe("not JSON");
    });

    it("through the Cloudflare REST API, for a pointer that fails the schema", async () => {
      const { api, targets } = await startCloudflarePublishTargets(local.edge);
      try {
        const { repaired } = await repairThrough(targets, "fix-cf", 93, JSON.stringify({ version: -1 }));
        expect(repaired?.reason).toMatch(/^not a valid manifest/);
      } finally {
        await api.close();
      }
    });

    it("writes afresh, above every kept number, when no manifest/<n> is readable", async () => {
      await publishRelease(local.targets, { models: [behaviourModel("fresh", "1", 95)] });
      await local.targets.models.putMany([
        { key: kvKeys.currentManifest, value: "garbage" },
        { key: kvKeys.manifest(1), value: "garbage too" },
      ]);
      const result = await publishRelease(local.targets, { models: [behaviourModel("fresh", "2", 96)] });
      expect(result.repaired?.fromVersion).toBeNull();
      expect(result.manifest.version).toBe(2);
      expect(result.manifest.previousVersion).toBeUndefined();
      expect(await served(local.edge, "fresh")).toMatchObject({ manifestVersion: 2, modelVersion: "2" });
    });
  });
});

describe("the edge memory budget", () => {
  const catalogue = () =>
    encodeCatalog({
      version: "mem-1",
      itemIds: Array.from({ length: 2000 }, (_, i) => `sku-${i}`),
      popularity: Float32Array.from({ length: 2000 }, (_, i) => i),
      trending: new Float32Array(2000),
      embedding: {
        model: "mf",
        version: "mem-1",
        dim: 16,
        vectors: randomNormalArray(mulberry32(3), 2000 * 16),
      },
    });

  it("refuses a release over the budget with the figures and the options, writing nothing", async () => {
    const release = {
      models: [behaviourModel("first", "1", 11)],
      artifacts: [{ name: "catalog", version: "mem-1", bytes: catalogue() }],
      users: demoUsers(3),
    };
    const attempt = publishRelease(local.targets, release, { memoryBudgetBytes: 8 * 2 ** 20 });
    await expect(attempt).rejects.toThrow(PublishError);
    await expect(publishRelease(local.targets, release, { memoryBudgetBytes: 8 * 2 ** 20 })).rejects.toThrow(
      /over the budget of 8\.0 MiB.*lower dimension.*product quantization.*fewer items per surface.*Vectorize.*EDGE_MEMORY_BUDGET_MIB/,
    );
    for (const prefix of ["manifest/", "model/", "artifact/"]) {
      expect(await listAllKeys(local.targets.models, prefix)).toEqual([]);
    }
    expect(await listAllKeys(local.targets.features, "users/")).toEqual([]);
  });

  it("records its estimate in the manifest, and /health reports it beside the catalogue kernel's memory", async () => {
    const bytes = catalogue();
    const { manifest } = await publishRelease(local.targets, {
      models: [],
      artifacts: [{ name: "catalog", version: "mem-1", bytes }],
      users: demoUsers(3),
    });
    const footprint = manifest.footprint!;
    expect(footprint.budgetBytes).toBe(DEFAULT_ISOLATE_BUDGET_BYTES);
    expect(footprint.parts.catalog).toBeGreaterThan(bytes.length);
    expect(footprint.parts.catalogSwitch).toBe(footprint.parts.catalog);
    expect(footprint.parts.ort).toBe(0);
    expect(footprint.totalBytes).toBe(Object.values(footprint.parts).reduce((a, b) => a + b, 0));
    await edgeJson(local.edge, "/recommendations?user_id=demo-1");
    const health = await edgeJson(local.edge, "/health");
    const memory = health.body.memory as { estimate: unknown; catalogKernelBytes: number };
    expect(memory.estimate).toEqual(footprint);
    // The estimate of the kernel covers what it holds: its catalogue and the regions it reserved.
    expect(memory.catalogKernelBytes).toBeGreaterThan(bytes.length);
    expect(memory.catalogKernelBytes).toBeLessThanOrEqual(footprint.parts.catalog);
  });
});

/**
 * Publishes, rollbacks and a corrupt `manifest/current` while the edge serves, inside a real workerd:
 * every answer comes from one release whole (catalogue and user record of the same version), requests
 * never share another request's I/O, and an unusable manifest never replaces the last good one.
 */
import { afterEach, describe, expect, it } from "vitest";
import { kvKeys } from "../../models/contracts/index.ts";
import { rollback } from "../../origin/release/publish/rollback.ts";
import { edgeJson, startTestEdge, type TestEdge } from "../support/local-edge.ts";
import {
  type EdgeKv,
  publishNumberedRelease,
  releaseTargets,
  releaseUsers,
  rollbackNumberedRelease,
} from "../support/numbered-releases.ts";
import { userShardPairs } from "../support/user-shards.ts";

const users = 40;
let edge: TestEdge | undefined;

afterEach(async () => {
  await edge?.dispose();
  edge = undefined;
});

async function edgeKv(of: TestEdge): Promise<EdgeKv> {
  return { models: await of.kv("MODELS"), features: await of.kv("FEATURES") };
}

interface Answer {
  status: number;
  degraded: boolean;
  codes: string[];
  catalog: string | undefined;
  embedding: string | undefined;
  manifest: string | undefined;
  message: string | undefined;
}

async function recommend(of: TestEdge, userId: string): Promise<Answer> {
  const { status, body } = await edgeJson(of, `/recommendations?user_id=${userId}&k=5`);
  const versions = (body.model_versions ?? {}) as Record<string, string>;
  return {
    status,
    degraded: body.degraded === true,
    codes: ((body.degraded_causes ?? []) as Array<{ code: string }>).map((cause) => cause.code),
    catalog: versions.catalog,
    embedding: versions["demo-item-scorer"],
    manifest: versions.manifest,
    message: (body.error as { message?: string } | undefined)?.message,
  };
}

describe("publishes and rollbacks under load", () => {
  it("answers every request during a publish and a rollback without a 5xx", async () => {
    edge = await startTestEdge({ MANIFEST_TTL_SECONDS: "0" });
    const kv = await edgeKv(edge);
    await publishNumberedRelease(kv, 1, users);
    const answers: Answer[] = [];
    let switching = true;
    const client = async (offset: number) => {
      for (let i = offset; switching; i += 8) {
        answers.push(await recommend(edge!, `demo-${i % users}`));
      }
    };
    const clients = Array.from({ length: 8 }, (_, offset) => client(offset));
    try {
      for (const n of [2, 3, 4]) {
        await publishNumberedRelease(kv, n, users);
        await rollbackNumberedRelease(kv);
      }
    } finally {
      switching = false;
      await Promise.all(clients);
    }

    expect(answers.length).toBeGreaterThan(100);
    const failed = answers.filter((answer) => answer.status !== 200);
    expect(failed.map((answer) => `${answer.status} ${answer.message}`)).toEqual([]);
    // Every answer came from a release whose catalogue was loaded, never from a half-adopted one.
    expect(answers.filter((answer) => answer.catalog === undefined)).toEqual([]);
  });

  it("reads user features of the request's release right after a switch (no user_embedding_stale)", async () => {
    // The production TTLs: the isolate trusts its manifest for 30 s and a user record for 60 s.
    edge = await startTestEdge({ MANIFEST_TTL_SECONDS: "30", FEATURE_TTL_SECONDS: "60" });
    const kv = await edgeKv(edge);
    await publishNumberedRelease(kv, 1, users);
    expect(await recommend(edge, "demo-1")).toMatchObject({ degraded: false, embedding: "r1" });

    // The publisher writes users before the manifest: demo-2's record in KV is already r2 while this
    // isolate still trusts manifest r1. The shard it read for demo-1 holds demo-2 as release 1 wrote it, so
    // the request answers from r1 whole, never with an r2 embedding against the r1 catalogue.
    await publishNumberedRelease(kv, 2, users);
    const during = await recommend(edge, "demo-2");
    expect(during).toMatchObject({ degraded: false, catalog: "r1", embedding: "r1" });
    expect(during.codes).not.toContain("user_embedding_stale");

    // A rollback writes the manifest first, then restores the users: still one release whole, r1.
    await rollbackNumberedRelease(kv);
    const afterRollback = await recommend(edge, "demo-3");
    expect(afterRollback).toMatchObject({ degraded: false, catalog: "r1", embedding: "r1" });
    expect(afterRollback.codes).not.toContain("user_embedding_stale");
    expect(await recommend(edge, "demo-1")).toMatchObject({
      degraded: false,
      catalog: "r1",
      embedding: "r1",
    });
  });
});

describe("while KV is mid-switch", () => {
  it("keeps serving a user's record of the request's release while the next release's users are written", async () => {
    // A 1 ms feature TTL: every cached record has expired by the next request.
    edge = await startTestEdge({ MANIFEST_TTL_SECONDS: "30", FEATURE_TTL_SECONDS: "0.001" });
    const kv = await edgeKv(edge);
    await publishNumberedRelease(kv, 1, users);
    expect(await recommend(edge, "demo-1")).toMatchObject({ degraded: false, embedding: "r1" });
    // The next publish has written its users but not yet its manifest.
    await releaseTargets(kv).features.putMany(userShardPairs(releaseUsers(2, users)).pairs);
    expect(await recommend(edge, "demo-1")).toMatchObject({
      degraded: false,
      catalog: "r1",
      embedding: "r1",
    });
  });

  it("answers from the previous release whole while a rollback has not restored the user yet", async () => {
    // A shard read mid-switch is trusted for min(FEATURE_TTL_SECONDS, 1 s): 1 ms here, so the request after
    // the restore reads the restored shard.
    edge = await startTestEdge({ MANIFEST_TTL_SECONDS: "0", FEATURE_TTL_SECONDS: "0.001" });
    const kv = await edgeKv(edge);
    await publishNumberedRelease(kv, 1, users);
    expect(await recommend(edge, "demo-1")).toMatchObject({ embedding: "r1" });
    await publishNumberedRelease(kv, 2, users);
    expect(await recommend(edge, "demo-1")).toMatchObject({ embedding: "r2" });
    // The rollback's manifest (release 1 again) is written; the users still hold release 2's records.
    await rollback(releaseTargets(kv).models);
    expect(await recommend(edge, "demo-5")).toMatchObject({
      degraded: false,
      catalog: "r2",
      embedding: "r2",
    });
    // Once the users are restored, the rolled-back release answers.
    await releaseTargets(kv).features.putMany(userShardPairs(releaseUsers(1, users)).pairs);
    expect(await recommend(edge, "demo-6")).toMatchObject({
      degraded: false,
      catalog: "r1",
      embedding: "r1",
    });
  });
});

describe("a release this isolate never served", () => {
  it("answers from the release before a rollback whole even when a publish and the rollback land within one read", async () => {
    edge = await startTestEdge({ MANIFEST_TTL_SECONDS: "0" });
    const kv = await edgeKv(edge);
    await publishNumberedRelease(kv, 1, users);
    expect(await recommend(edge, "demo-1")).toMatchObject({ embedding: "r1" });
    // Release 2 is published and rolled back (manifest only, users not restored yet) before any request.
    const second = await publishNumberedRelease(kv, 2, users);
    await rollback(releaseTargets(kv).models);
    expect(await recommend(edge, "demo-5")).toMatchObject({
      degraded: false,
      catalog: "r2",
      embedding: "r2",
      manifest: String(second.version),
    });
  });
});

describe("a corrupt manifest/current", () => {
  it("keeps serving the last good manifest when manifest/current turns corrupt", async () => {
    edge = await startTestEdge({ MANIFEST_TTL_SECONDS: "0" });
    const kv = await edgeKv(edge);
    const good = await publishNumberedRelease(kv, 1, users);
    const serving = { status: 200, degraded: false, catalog: "r1", manifest: String(good.version) };
    expect(await recommend(edge, "demo-1")).toMatchObject(serving);

    const missingBytes = structuredClone(good);
    missingBytes.version = good.version + 1;
    missingBytes.artifacts!.catalog = {
      ...missingBytes.artifacts!.catalog!,
      version: "never-uploaded",
      keys: ["artifact/catalog/never-uploaded/0"],
    };
    for (const corrupt of [
      "{ this is not JSON",
      JSON.stringify({ version: "seven", models: [] }),
      JSON.stringify(missingBytes),
    ]) {
      await kv.models.put(kvKeys.currentManifest, corrupt);
      expect(await recommend(edge, "demo-1"), corrupt.slice(0, 40)).toMatchObject(serving);
      expect(await recommend(edge, "demo-2"), corrupt.slice(0, 40)).toMatchObject(serving);
    }
    const health = await edgeJson(edge, "/health");
    expect(health.body.manifest).toMatchObject({ version: good.version });

    // A good manifest written afterwards is picked up.
    const repaired = { ...good, version: good.version + 2, publishedAt: new Date().toISOString() };
    await kv.models.put(kvKeys.currentManifest, JSON.stringify(repaired));
    expect(await recommend(edge, "demo-1")).toMatchObject({ ...serving, manifest: String(repaired.version) });
  });
});

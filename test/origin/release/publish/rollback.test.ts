/**
 * Rollback and the release listing against a real workerd edge: the edge follows a rollback without
 * a redeploy (MANIFEST_TTL_SECONDS=0 here), and the manifest version keeps growing.
 */
import { describe, expect, it } from "vitest";
import { kvKeys } from "../../../../models/contracts/index.ts";
import { listReleases } from "../../../../origin/release/publish/list-releases.ts";
import { readManifest } from "../../../../origin/release/publish/manifest-store.ts";
import { PublishError } from "../../../../origin/release/publish/publish-error.ts";
import { publishRelease } from "../../../../origin/release/publish/publish-release.ts";
import { rollback } from "../../../../origin/release/publish/rollback.ts";
import { behaviourModel, publishEdgeForSuite, referenceScore, served } from "./support/publish-edge.ts";

const local = publishEdgeForSuite();

/** Publishes releases 1…n of model `name`, release i holding version `${i}` built from seed base + i. */
async function publishVersions(name: string, count: number, seedBase: number): Promise<void> {
  for (let i = 1; i <= count; i++) {
    await publishRelease(local.targets, { models: [behaviourModel(name, String(i), seedBase + i)] });
  }
}

describe("rollback", () => {
  it("serves the earlier release's model again, under a new and higher manifest version", async () => {
    await publishVersions("rb", 2, 100);
    expect(await served(local.edge, "rb")).toMatchObject({ manifestVersion: 2, modelVersion: "2" });
    const manifest = await rollback(local.targets.models);
    expect(manifest).toMatchObject({ version: 3, previousVersion: 2, restoredFrom: 1 });
    const now = await served(local.edge, "rb");
    expect(now).toMatchObject({ manifestVersion: 3, modelVersion: "1" });
    expect(Math.abs(now.score - referenceScore(101))).toBeLessThan(1e-5);
    expect(await readManifest(local.targets.models, kvKeys.manifest(3))).toEqual(manifest);
  });

  it("returns, on a second default rollback, to the release the first one replaced", async () => {
    await publishVersions("undo", 2, 200);
    await rollback(local.targets.models);
    const undone = await rollback(local.targets.models);
    expect(undone).toMatchObject({ version: 4, previousVersion: 3, restoredFrom: 2 });
    expect(await served(local.edge, "undo")).toMatchObject({ manifestVersion: 4, modelVersion: "2" });
  });

  it("rolls back to a named version", async () => {
    await publishVersions("named", 3, 300);
    await rollback(local.targets.models, { toVersion: 1 });
    expect(await served(local.edge, "named")).toMatchObject({ manifestVersion: 4, modelVersion: "1" });
  });

  it("refuses when a key the earlier release names is gone from KV, and changes nothing", async () => {
    await publishVersions("gone", 2, 400);
    await local.targets.models.deleteMany([kvKeys.modelChunk("gone", "1", 0)]);
    await expect(rollback(local.targets.models)).rejects.toThrow(
      /1 keys it names are gone from KV \(model\/gone\/1\/0\)/,
    );
    expect(await served(local.edge, "gone")).toMatchObject({ manifestVersion: 2, modelVersion: "2" });
  });

  it("refuses a version never published, the serving version, and a first release with nothing before it", async () => {
    await expect(rollback(local.targets.models)).rejects.toThrow(/manifest\/current is not in KV/);
    await publishVersions("refuse", 1, 500);
    await expect(rollback(local.targets.models)).rejects.toThrow(/nothing earlier to roll back to/);
    await publishVersions("refuse2", 1, 600);
    await expect(rollback(local.targets.models, { toVersion: 9 })).rejects.toThrow(/no manifest\/9/);
    await expect(rollback(local.targets.models, { toVersion: 2 })).rejects.toThrow(PublishError);
    expect((await listReleases(local.targets.models)).map((release) => release.version)).toEqual([1, 2]);
  });
});

describe("listReleases", () => {
  it("lists releases oldest first, marks the one serving and records rollbacks", async () => {
    await publishVersions("list", 2, 700);
    await rollback(local.targets.models);
    const releases = await listReleases(local.targets.models);
    expect(releases.map(({ publishedAt, ...rest }) => rest)).toEqual([
      { version: 1, current: false },
      { version: 2, current: false, previousVersion: 1 },
      { version: 3, current: true, previousVersion: 2, restoredFrom: 1 },
    ]);
    expect(releases.every((release) => !Number.isNaN(Date.parse(release.publishedAt)))).toBe(true);
  });

  it("reads manifests that carry no listing metadata, such as ones written by other tools", async () => {
    await publishVersions("bare", 1, 800);
    const first = (await readManifest(local.targets.models, kvKeys.manifest(1)))!;
    const bare = { ...first, version: 12, publishedAt: "2026-01-02T03:04:05.000Z" };
    await local.targets.models.putMany([{ key: kvKeys.manifest(12), value: JSON.stringify(bare) }]);
    const releases = await listReleases(local.targets.models);
    expect(releases.at(-1)).toEqual({ version: 12, publishedAt: "2026-01-02T03:04:05.000Z", current: false });
  });

  it("marks no release serving while manifest/current is unreadable, and leaves unreadable ones out", async () => {
    await publishVersions("unreadable", 3, 900);
    await local.targets.models.putMany([
      { key: kvKeys.currentManifest, value: "{" },
      { key: kvKeys.manifest(2), value: "not a manifest" },
    ]);
    const releases = await listReleases(local.targets.models);
    expect(releases.map(({ version, current }) => ({ version, current }))).toEqual([
      { version: 1, current: false },
      { version: 3, current: false },
    ]);
  });
});

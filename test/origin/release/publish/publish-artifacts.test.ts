/**
 * publishArtifacts: a new manifest that changes only the named artifacts and carries everything else the
 * serving manifest names over, on an in-memory KV (the KV protocol itself is tested against real backends
 * in kv-writer.conformance.ts; the learning loop's end-to-end test publishes through this to a real edge).
 */
import { describe, expect, it } from "vitest";
import { kvKeys, Manifest } from "../../../../models/contracts/index.ts";
import { buildDemoModels } from "../../../../models/onnx/index.ts";
import {
  PublishError,
  publishArtifacts,
  publishRelease,
  readCurrentManifest,
} from "../../../../origin/release/publish/index.ts";
import { createMemoryTargets } from "../support/memory-kv-writer.ts";

const bytes = (text: string) => new TextEncoder().encode(text);

async function servingRelease() {
  const targets = createMemoryTargets();
  const { behaviour } = buildDemoModels(3);
  const { manifest } = await publishRelease(targets, {
    models: [{ ...behaviour, name: "behaviour", version: "7" }],
    artifacts: [
      { name: "catalog", version: "c1", bytes: bytes("catalogue bytes") },
      { name: "bandit", version: "b1", bytes: bytes("old policies") },
    ],
    surfaces: { home: { name: "home", k: { default: 4 } } },
  });
  return { targets, manifest };
}

describe("publishArtifacts", () => {
  it("points the named artifact at new bytes and carries models, other artifacts and surfaces over", async () => {
    const { targets, manifest: before } = await servingRelease();
    const result = await publishArtifacts(targets, [
      { name: "bandit", version: "b2", bytes: bytes("new policies") },
    ]);
    const after = result.manifest;
    expect(after.version).toBe(before.version + 1);
    expect(after.previousVersion).toBe(before.version);
    expect(after.models).toEqual(before.models);
    expect(after.surfaces).toEqual(before.surfaces);
    expect(after.artifacts?.catalog).toEqual(before.artifacts?.catalog);
    expect(after.artifacts?.bandit?.version).toBe("b2");
    expect(await targets.models.getText(after.artifacts!.bandit!.keys[0]!)).toBe("new policies");
    expect(await readCurrentManifest(targets.models)).toEqual(after);
    expect(
      Manifest.parse(JSON.parse((await targets.models.getText(kvKeys.manifest(after.version)))!)),
    ).toEqual(after);
    // The previous release stays whole for a rollback.
    expect(await targets.models.getText(before.artifacts!.bandit!.keys[0]!)).toBe("old policies");
  });

  it("publishes onto a KV that serves nothing yet", async () => {
    const targets = createMemoryTargets();
    const { manifest } = await publishArtifacts(targets, [
      { name: "bandit", version: "b1", bytes: bytes("p") },
    ]);
    expect(manifest).toMatchObject({ version: 1, models: {}, artifacts: { bandit: { version: "b1" } } });
    expect(manifest.previousVersion).toBeUndefined();
  });

  it("refuses other bytes under a version already in KV, and changes nothing", async () => {
    const { targets, manifest: before } = await servingRelease();
    await expect(
      publishArtifacts(targets, [{ name: "bandit", version: "b1", bytes: bytes("different") }]),
    ).rejects.toBeInstanceOf(PublishError);
    await expect(
      publishArtifacts(targets, [{ name: "bandit/home", version: "b9", bytes: bytes("x") }]),
    ).rejects.toBeInstanceOf(PublishError);
    expect(await readCurrentManifest(targets.models)).toEqual(before);
  });
});

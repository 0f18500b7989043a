/**
 * Releases that differ only by number, for tests that switch an edge between them: release n serves the
 * demo models and catalogue under version `r<n>`, and writes every demo user with an embedding of version
 * `r<n>`, so an answer shows which release its catalogue and its user record came from. Each release keeps
 * its users' snapshot (the user-features artifact), so a rollback restores them as a real one does.
 */
import { encodeCatalog } from "../../models/catalog/index.ts";
import type { Manifest, UserFeatures } from "../../models/contracts/index.ts";
import { buildDemoModels } from "../../models/onnx/index.ts";
import {
  demoCatalog,
  demoFeatureVector,
  demoSeed,
  demoUsers,
} from "../../origin/dev/local-edge/seed-demo.ts";
import type { PublishTargets } from "../../origin/release/publish/index.ts";
import type { KVNamespaceLike } from "../../origin/release/publish/miniflare-kv-writer.ts";
import { createMiniflareKvWriter } from "../../origin/release/publish/miniflare-kv-writer.ts";
import { publishRelease } from "../../origin/release/publish/publish-release.ts";
import { rollbackRelease } from "../../origin/release/rollback-release.ts";
import {
  encodeUserFeaturesArtifact,
  USER_FEATURES_ARTIFACT,
} from "../../origin/release/user-features-artifact.ts";

export interface EdgeKv {
  models: KVNamespaceLike;
  features: KVNamespaceLike;
}

export function releaseTargets(kv: EdgeKv): PublishTargets {
  return { models: createMiniflareKvWriter(kv.models), features: createMiniflareKvWriter(kv.features) };
}

/** The demo users as release `r<n>` writes them. */
export function releaseUsers(n: number, count: number): UserFeatures[] {
  return demoUsers(count).map((user) => ({
    ...user,
    embedding: { ...user.embedding!, version: `r${n}` },
  }));
}

export async function publishNumberedRelease(kv: EdgeKv, n: number, userCount: number): Promise<Manifest> {
  const models = buildDemoModels(demoSeed);
  const version = `r${n}`;
  const catalog = demoCatalog(models);
  catalog.version = version;
  catalog.embedding = { ...catalog.embedding!, version };
  const users = releaseUsers(n, userCount);
  const { manifest } = await publishRelease(releaseTargets(kv), {
    models: [
      { ...models.behaviour, version, featureVector: demoFeatureVector },
      { ...models.itemScorer, version },
    ],
    artifacts: [
      { name: "catalog", version, bytes: encodeCatalog(catalog) },
      { name: USER_FEATURES_ARTIFACT, version, bytes: encodeUserFeaturesArtifact(users) },
    ],
    users,
  });
  return manifest;
}

/** `edgewise rollback` without a registry: the manifest first, then the users from the restored snapshot. */
export async function rollbackNumberedRelease(kv: EdgeKv): Promise<Manifest> {
  return (await rollbackRelease(releaseTargets(kv), null)).manifest;
}

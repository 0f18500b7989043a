/**
 * Rollback as the pipeline sees it: the publisher's rollback rewrites `manifest/current` to an earlier
 * release, then the users' features are rewritten from that release's snapshot (their embeddings only score
 * against the catalogue they were trained with), and the registry records which versions left service and
 * which came back. Between the manifest write and the last shard write, users still holding the newer
 * embedding get the cold-start answer (marked degraded) rather than a wrong one.
 */
import type { Manifest } from "../../models/contracts/index.ts";
import {
  changedShards,
  type ManifestRepair,
  PublishError,
  type PublishTargets,
  planUserShards,
  readServingManifest,
  rollback,
} from "./publish/index.ts";
import { readReleaseBytes } from "./read-release-bytes.ts";
import type { ModelRegistry } from "./registry/index.ts";
import { modelsNotIn, servedModels } from "./served-models.ts";
import { decodeUserFeaturesArtifact, USER_FEATURES_ARTIFACT } from "./user-features-artifact.ts";

export interface RollbackOutcome {
  manifest: Manifest;
  /** Users whose features were rewritten from the restored release; 0 when it kept no snapshot. */
  restoredUsers: number;
  /** Set when `manifest/current` was unreadable: the newest readable release stood in for it. */
  repaired?: ManifestRepair;
}

export async function rollbackRelease(
  targets: PublishTargets,
  registry: ModelRegistry | null,
  options: { toVersion?: number } = {},
): Promise<RollbackOutcome> {
  const serving = await readServingManifest(targets.models);
  const before = serving.manifest;
  const manifest = await rollback(targets.models, { ...options, serving });
  const restoredUsers = await restoreUserFeatures(targets, manifest);
  if (registry) {
    const restored = servedModels(manifest);
    const note = `rollback: manifest ${manifest.version} restores manifest ${manifest.restoredFrom}`;
    await registry.markRolledBack(before ? modelsNotIn(servedModels(before), restored) : [], note);
    await registry.markPublished(restored, manifest.version, note);
  }
  return { manifest, restoredUsers, ...(serving.repair ? { repaired: serving.repair } : {}) };
}

async function restoreUserFeatures(targets: PublishTargets, manifest: Manifest): Promise<number> {
  const entry = manifest.artifacts?.[USER_FEATURES_ARTIFACT];
  const layout = manifest.users;
  // A release published before users were sharded names no layout: the edge has nowhere to find them.
  if (!entry || !layout) {
    return 0;
  }
  const bytes = await readReleaseBytes(
    targets.models,
    `artifact ${USER_FEATURES_ARTIFACT}@${entry.version}`,
    entry,
  );
  const users = decodeUserFeaturesArtifact(bytes);
  // The same users sharded with the same count give the same bytes the release wrote: only the shards a
  // later publish changed are written again.
  const shards = planUserShards(users, { previousCount: layout.count });
  if (shards.layout.count !== layout.count) {
    throw new PublishError(
      `manifest ${manifest.version} names ${layout.count} user shards, but its users now need ${shards.layout.count}`,
    );
  }
  await targets.features.putMany((await changedShards(targets.features, shards)).changed);
  return shards.layout.users;
}

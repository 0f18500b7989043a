/**
 * Rollback as the pipeline sees it: the publisher's rollback rewrites `manifest/current` to an earlier
 * release, then the users' features are rewritten from that release's snapshot (their embeddings only score
 * against the catalogue they were trained with), and the registry records which versions left service and
 * which came back. Between the manifest write and the last user write, users still holding the newer
 * embedding get the cold-start answer (marked degraded) rather than a wrong one.
 */
import { kvKeys, type Manifest } from "../../models/contracts/index.ts";
import {
  hashedPair,
  type ManifestRepair,
  type PublishTargets,
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
  if (!entry) {
    return 0;
  }
  const bytes = await readReleaseBytes(
    targets.models,
    `artifact ${USER_FEATURES_ARTIFACT}@${entry.version}`,
    entry,
  );
  const users = decodeUserFeaturesArtifact(bytes);
  // The sha256 metadata is the publisher's "unchanged" marker (origin/release/publish/unchanged-keys.ts), so the
  // next publish skips the users this restore wrote and that it would write identically.
  await targets.features.putMany(
    await Promise.all(users.map((user) => hashedPair(kvKeys.user(user.userId), JSON.stringify(user)))),
  );
  return users.length;
}

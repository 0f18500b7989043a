/**
 * Publishing new versions of some artifacts (a bandit policy bundle) without retraining or re-uploading
 * anything else: a new manifest that carries the current one's models, other artifacts and surfaces over
 * unchanged and points the named artifacts at their new bytes. publishRelease would need every model's
 * bytes for that; here the model entries are copied, as the bytes they name are immutable in KV.
 *
 * A publish that runs at the same time as another one (publishRelease from a training run) can lose one
 * of the two updates, as any read-modify-write of the manifest can: the later manifest wins whole.
 */
import { Manifest } from "../../../models/contracts/index.ts";
import { type NamedArtifact, prepareArtifactUpload } from "./artifact-entry.ts";
import { chunkDirectory } from "./byte-chunks.ts";
import type { PublishTargets } from "./kv-writer.ts";
import { nextManifestVersion, readServingManifest, writeManifest } from "./manifest-store.ts";
import { PublishError } from "./publish-error.ts";
import { assertNamed, type PublishOptions, type PublishResult } from "./publish-release.ts";
import { compareWithStored, type HashedPair, hashedPair } from "./unchanged-keys.ts";

export async function publishArtifacts(
  targets: Pick<PublishTargets, "models">,
  artifacts: readonly NamedArtifact[],
  options: PublishOptions = {},
): Promise<PublishResult> {
  assertNamed("artifact", artifacts);
  const serving = options.serving ?? (await readServingManifest(targets.models));
  const current = serving.manifest;
  const version = await nextManifestVersion(targets.models, current);
  const uploads = await Promise.all(artifacts.map((artifact) => prepareArtifactUpload(artifact, options)));
  const manifest = Manifest.parse({
    version,
    publishedAt: new Date().toISOString(),
    models: current?.models ?? {},
    artifacts: {
      ...current?.artifacts,
      ...Object.fromEntries(uploads.map((upload) => [upload.name, upload.entry])),
    },
    ...(current?.surfaces === undefined ? {} : { surfaces: current.surfaces }),
    ...(current === null ? {} : { previousVersion: current.version }),
  });

  let keysUnchanged = 0;
  const pairs: HashedPair[] = [];
  for (const upload of uploads) {
    const hashed = await Promise.all(upload.chunks.map((chunk) => hashedPair(chunk.key, chunk.value)));
    const comparison = await compareWithStored(targets.models, chunkDirectory(upload.entry.keys[0]!), hashed);
    if (comparison.conflicting.length > 0) {
      throw new PublishError(
        `artifact ${upload.name}@${upload.entry.version} is already in KV with different bytes (${comparison.conflicting[0]}): give it a new version`,
      );
    }
    pairs.push(...comparison.changed);
    keysUnchanged += comparison.unchangedCount;
  }
  await targets.models.putMany(pairs);
  await writeManifest(targets.models, manifest);
  return {
    manifest,
    keysWritten: pairs.length + 2,
    keysUnchanged,
    ...(serving.repair ? { repaired: serving.repair } : {}),
  };
}

/**
 * Rollback: `manifest/current` gets an earlier manifest's content under a new, higher version, so the
 * version the edge sees still only grows and the rollback itself is a release that can be undone.
 * The edge follows after its MANIFEST_TTL_SECONDS, without a redeploy.
 */
import { kvKeys, type Manifest } from "../../../models/contracts/index.ts";
import { chunkDirectory } from "./byte-chunks.ts";
import { describeKeys, type KvWriter, listAllKeys } from "./kv-writer.ts";
import {
  listManifestKeys,
  nextManifestVersion,
  readManifest,
  readServingManifest,
  type ServingManifest,
  writeManifest,
} from "./manifest-store.ts";
import { PublishError } from "./publish-error.ts";

export interface RollbackOptions {
  /**
   * The release whose content to serve again. Default: the one that was serving before the current
   * one (its previousVersion), else the highest kept below it.
   */
  toVersion?: number;
  /**
   * The release serving now, when the caller has read it already; read otherwise. An unreadable
   * `manifest/current` is stood in for by the newest readable release, which the rollback replaces.
   */
  serving?: ServingManifest;
}

export async function rollback(models: KvWriter, options: RollbackOptions = {}): Promise<Manifest> {
  const serving = options.serving ?? (await readServingManifest(models));
  const current = serving.manifest;
  if (current === null) {
    throw new PublishError(
      serving.repair
        ? `nothing to roll back: ${serving.repair.reason} in manifest/current, and no readable manifest/<n> is kept`
        : "nothing to roll back: manifest/current is not in KV",
    );
  }
  const target =
    options.toVersion ?? current.previousVersion ?? (await highestBelow(models, current.version));
  if (target === undefined) {
    throw new PublishError(
      `manifest ${current.version} is the only release: there is nothing earlier to roll back to`,
    );
  }
  if (target === current.version) {
    throw new PublishError(`manifest ${target} is already the one serving`);
  }
  const earlier = await readManifest(models, kvKeys.manifest(target));
  if (earlier === null) {
    throw new PublishError(`cannot roll back to ${target}: there is no manifest/${target} in KV`);
  }
  await assertKeysPresent(models, target, earlier);
  const manifest: Manifest = {
    ...earlier,
    version: await nextManifestVersion(models, current),
    publishedAt: new Date().toISOString(),
    previousVersion: current.version,
    restoredFrom: target,
  };
  await writeManifest(models, manifest);
  return manifest;
}

async function highestBelow(models: KvWriter, version: number): Promise<number | undefined> {
  return (await listManifestKeys(models)).filter((entry) => entry.version < version).at(-1)?.version;
}

/** Lists each chunk directory the manifest names (one call each) rather than reading megabytes of bytes. */
async function assertKeysPresent(models: KvWriter, target: number, manifest: Manifest): Promise<void> {
  const keys = [...Object.values(manifest.models), ...Object.values(manifest.artifacts ?? {})].flatMap(
    (entry) => entry.keys,
  );
  const missing: string[] = [];
  for (const directory of new Set(keys.map(chunkDirectory))) {
    const present = new Set((await listAllKeys(models, directory)).map((key) => key.name));
    missing.push(...keys.filter((key) => chunkDirectory(key) === directory && !present.has(key)));
  }
  if (missing.length > 0) {
    throw new PublishError(
      `cannot roll back to ${target}: ${missing.length} keys it names are gone from KV (${describeKeys(missing)})`,
    );
  }
}

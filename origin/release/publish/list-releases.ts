import { kvKeys } from "../../../models/contracts/index.ts";
import type { KvWriter } from "./kv-writer.ts";
import { listManifestKeys, ReleaseMetadata, readManifestIfReadable } from "./manifest-store.ts";

export interface ReleaseSummary {
  version: number;
  publishedAt: string;
  /** True for the release `manifest/current` points at. */
  current: boolean;
  previousVersion?: number;
  /** Set on rollbacks: the release whose content this one serves again. */
  restoredFrom?: number;
}

/** Every release kept in KV, oldest first. */
export async function listReleases(models: KvWriter): Promise<ReleaseSummary[]> {
  // An unreadable pointer marks no release as serving, and an unreadable release is left out: the next
  // publish or rollback rewrites the pointer.
  const current = await readManifestIfReadable(models, kvKeys.currentManifest);
  const releases: ReleaseSummary[] = [];
  for (const { version, metadata } of await listManifestKeys(models)) {
    // Manifests written by other tools carry no metadata: read those.
    const known = metadata ?? (await readManifestIfReadable(models, kvKeys.manifest(version)));
    if (known === null) {
      continue;
    }
    releases.push({ version, ...ReleaseMetadata.parse(known), current: version === current?.version });
  }
  return releases;
}

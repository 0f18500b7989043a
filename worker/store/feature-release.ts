import type { Manifest, UserFeatures, UserShardLayout } from "../../models/contracts/index.ts";

/** The release a request pinned, as far as its user features are concerned. */
export interface FeatureRelease {
  /** The pinned manifest's version: records are cached per release, so a switch reads them afresh. */
  manifestVersion: number;
  /** The catalogue's item embeddings; a user embedding of another model version is from another release. */
  embedding: { model: string; version: string } | null;
  /** Where the release's users are (its manifest's `users`); null when it has none. */
  users: UserShardLayout | null;
}

/** Whether a user record can be served with the release's catalogue (false: it was written by another). */
export function ofRelease(features: UserFeatures | null, release: FeatureRelease): boolean {
  const embedding = features?.embedding;
  if (!embedding || !release.embedding) {
    return true;
  }
  return embedding.model === release.embedding.model && embedding.version === release.embedding.version;
}

/** The release of a pinned manifest for routes that read users' vectors only (no catalogue embedding). */
export function manifestRelease(manifest: Manifest | null): FeatureRelease | undefined {
  return manifest
    ? { manifestVersion: manifest.version, embedding: null, users: manifest.users ?? null }
    : undefined;
}

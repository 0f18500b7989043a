import type { Catalog } from "../../models/catalog/index.ts";
import type { Manifest, UserFeatures } from "../../models/contracts/index.ts";
import type { CandidateGenerator } from "../decision/index.ts";
import { type FeatureRelease, ofRelease } from "../store/feature-release.ts";

/** A release's decoded catalogue and its candidate generator (the edge's: the kernel holding the catalogue). */
export interface ReleaseCatalog {
  catalog: Catalog;
  candidates: CandidateGenerator;
}

/** How often one isolate re-reads `manifest/current` early for user embedding versions it has met before. */
const recheckIntervalMs = 250;

/** What pinning reads; the edge passes its KV-backed caches (http/edge-loaders.ts), tests pass their own. */
export interface ReleaseLoaders {
  currentManifest(): Promise<Manifest | null>;
  /** Re-reads the current manifest early, at most once per `intervalMs` for the same `sighting`. */
  recheckManifest(sighting: string, intervalMs: number): Promise<Manifest | null>;
  /** The manifest that served before `manifest`, if this isolate can still read it. */
  previousManifest(manifest: Manifest): Promise<Manifest | null>;
  catalog(manifest: Manifest | null): Promise<ReleaseCatalog | null>;
  user(userId: string, release: FeatureRelease | undefined): Promise<UserFeatures | null>;
}

export interface PinnedRelease {
  manifest: Manifest | null;
  catalog: ReleaseCatalog | null;
  user: UserFeatures | null;
}

/**
 * The one release a recommendation answers from: the manifest, its catalogue, and the user's features as
 * that release wrote them. The publisher writes users before the manifest, so for up to the manifest's TTL
 * KV holds user records of a release this isolate does not serve yet; a request that meets one re-reads the
 * manifest (once per foreign version, then at most every 250 ms) and, when a newer release is there, answers
 * from it whole. A rollback writes its manifest before the users: a record of the release that served before
 * it answers from that one whole.
 */
export async function pinRelease(loaders: ReleaseLoaders, userId: string): Promise<PinnedRelease> {
  const manifest = await loaders.currentManifest();
  const pinned = await pinTo(loaders, manifest, userId);
  if (pinned.release === null || ofRelease(pinned.user, pinned.release)) {
    return pinned;
  }
  const sighting = pinned.user?.embedding;
  const newer = await loaders.recheckManifest(
    `${pinned.release.manifestVersion}:${sighting?.model}@${sighting?.version}`,
    recheckIntervalMs,
  );
  if (newer !== null && newer.version !== manifest?.version) {
    const repinned = await pinTo(loaders, newer, userId);
    if (repinned.release === null || ofRelease(repinned.user, repinned.release)) {
      return repinned;
    }
    return (await previousRelease(loaders, newer, repinned.user)) ?? repinned;
  }
  return (await previousRelease(loaders, manifest, pinned.user)) ?? pinned;
}

/**
 * A rollback writes the manifest before it restores the users (and a restore can fail half-way): a user
 * still holding the release that served before gets that release whole rather than a degraded answer.
 */
async function previousRelease(
  loaders: ReleaseLoaders,
  manifest: Manifest | null,
  user: UserFeatures | null,
): Promise<PinnedRelease | null> {
  if (manifest === null) {
    return null;
  }
  const previous = await loaders.previousManifest(manifest);
  if (previous !== null) {
    const catalog = await loaders.catalog(previous);
    if (catalog?.catalog.embedding && ofRelease(user, catalogRelease(previous, catalog))) {
      return { manifest: previous, catalog, user };
    }
  }
  return null;
}

function catalogRelease(manifest: Manifest, catalog: ReleaseCatalog | null): FeatureRelease {
  const embedding = catalog?.catalog.embedding;
  return {
    manifestVersion: manifest.version,
    embedding: embedding ? { model: embedding.model, version: embedding.version } : null,
    users: manifest.users ?? null,
  };
}

async function pinTo(
  loaders: ReleaseLoaders,
  manifest: Manifest | null,
  userId: string,
): Promise<PinnedRelease & { release: FeatureRelease | null }> {
  const catalog = await loaders.catalog(manifest);
  const release = manifest ? catalogRelease(manifest, catalog) : null;
  const user = await loaders.user(userId, release ?? undefined);
  return { manifest, catalog, user, release };
}

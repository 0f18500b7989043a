import type { Context } from "hono";
import { endTime, startTime } from "hono/timing";
import type { Manifest, UserFeatures } from "../../models/contracts/index.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import type { LoadedCatalog } from "../store/catalog-cache.ts";
import { type FeatureRelease, ofRelease } from "../store/feature-store.ts";
import { loadCatalog } from "../routes/recommendation-context.ts";

/** How often one isolate re-reads `manifest/current` early for user embedding versions it has met before. */
const recheckIntervalMs = 250;

export interface PinnedRelease {
  manifest: Manifest | null;
  catalog: LoadedCatalog | null;
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
export async function pinRelease(c: Context<EdgeContext>, userId: string): Promise<PinnedRelease> {
  const { state } = c.var;
  const manifest = await state.manifests.current(c.env.MODELS, state.settings.MANIFEST_TTL_SECONDS);
  const pinned = await pinTo(c, manifest, userId);
  if (pinned.release === null || ofRelease(pinned.user, pinned.release)) {
    return pinned;
  }
  const sighting = pinned.user?.embedding;
  const newer = await state.manifests.recheck(
    c.env.MODELS,
    `${pinned.release.manifestVersion}:${sighting?.model}@${sighting?.version}`,
    recheckIntervalMs,
  );
  if (newer !== null && newer.version !== manifest?.version) {
    const repinned = await pinTo(c, newer, userId);
    if (repinned.release === null || ofRelease(repinned.user, repinned.release)) {
      return repinned;
    }
    return (await previousRelease(c, newer, repinned.user)) ?? repinned;
  }
  return (await previousRelease(c, manifest, pinned.user)) ?? pinned;
}

/**
 * A rollback writes the manifest before it restores the users (and a restore can fail half-way): a user
 * still holding the release that served before gets that release whole rather than a degraded answer.
 */
async function previousRelease(
  c: Context<EdgeContext>,
  manifest: Manifest | null,
  user: UserFeatures | null,
): Promise<PinnedRelease | null> {
  if (manifest === null) {
    return null;
  }
  const previous = await c.var.state.manifests.previousOf(c.env.MODELS, manifest);
  if (previous !== null) {
    const catalog = await loadCatalog(c, previous);
    if (catalog?.catalog.embedding && ofRelease(user, catalogRelease(previous, catalog))) {
      return { manifest: previous, catalog, user };
    }
  }
  return null;
}

function catalogRelease(manifest: Manifest, catalog: LoadedCatalog | null): FeatureRelease {
  const embedding = catalog?.catalog.embedding;
  return {
    manifestVersion: manifest.version,
    embedding: embedding ? { model: embedding.model, version: embedding.version } : null,
  };
}

async function pinTo(
  c: Context<EdgeContext>,
  manifest: Manifest | null,
  userId: string,
): Promise<PinnedRelease & { release: FeatureRelease | null }> {
  const catalog = await loadCatalog(c, manifest);
  const release = manifest ? catalogRelease(manifest, catalog) : null;
  startTime(c, "features");
  try {
    const user = await c.var.state.features.user(c.env.FEATURES, userId, release ?? undefined);
    return { manifest, catalog, user, release };
  } finally {
    endTime(c, "features");
  }
}

/**
 * Publishing a release: model and artifact bytes first, then user features, then `manifest/<n>` and
 * last `manifest/current`. Until that last write lands, the edge keeps serving the previous manifest,
 * so a publish that stops half-way changes nothing the edge serves. An unreadable `manifest/current`
 * is rewritten: the newest readable `manifest/<n>` stands in for it (readServingManifest).
 */
import { catalogKernelBytes, readCatalogHeader } from "../../../models/catalog/index.ts";
import {
  ARTIFACT_NAMES,
  DEFAULT_ISOLATE_BUDGET_BYTES,
  estimateIsolateFootprint,
  type IsolateFootprint,
  Manifest,
  overBudgetMessage,
  type Preprocessing,
  UserFeatures,
  type UserShardLayout,
} from "../../../models/contracts/index.ts";
import { type NamedArtifact, prepareArtifactUpload } from "./artifact-entry.ts";
import { chunkDirectory } from "./byte-chunks.ts";
import type { PublishTargets } from "./kv-writer.ts";
import {
  type ManifestRepair,
  nextManifestVersion,
  readServingManifest,
  type ServingManifest,
  writeManifest,
} from "./manifest-store.ts";
import { type NamedModel, prepareModelUpload } from "./model-entry.ts";
import { PublishError } from "./publish-error.ts";
import { compareWithStored, type HashedPair, hashedPair } from "./unchanged-keys.ts";
import { changedShards, planUserShards, type UserShards } from "./user-shards.ts";

export interface ReleaseModel extends NamedModel {
  /** Which of the user's feature vectors feeds the model (UserFeatures.vectors). */
  featureVector?: string;
  /** How the edge encodes a request for this model (hashed text, tabular columns). */
  preprocessing?: Preprocessing;
  metrics?: Record<string, number>;
}

export interface Release {
  /** Every model the edge should serve after this release; models not listed stop being served. */
  models: ReleaseModel[];
  artifacts?: NamedArtifact[];
  /**
   * Every user's features of this release, written as shards (user-shards.ts): users not listed have none
   * afterwards. Omitted: the release keeps the serving release's shards as they are.
   */
  users?: UserFeatures[];
  /** Named surface configurations, copied into the manifest. */
  surfaces?: Record<string, unknown>;
}

export interface PublishOptions {
  /**
   * Refuse a release whose estimated edge isolate footprint (models/contracts/isolate-footprint.ts) is over
   * this many bytes. Default DEFAULT_ISOLATE_BUDGET_BYTES (128 MB, Cloudflare's isolate limit); the CLI
   * takes EDGE_MEMORY_BUDGET_MIB.
   */
  memoryBudgetBytes?: number;
  /** The edge's FEATURE_CACHE_MAX_USERS, for the estimate of its user cache. Default 10,000. */
  featureCacheUsers?: number;
  /** Bytes per model or artifact chunk; KV's value limit by default. */
  chunkBytes?: number;
  /** The release serving now, when the caller has read it already (readServingManifest); read otherwise. */
  serving?: ServingManifest;
}

export interface PublishResult {
  manifest: Manifest;
  keysWritten: number;
  /** Keys skipped because KV already held the same content. */
  keysUnchanged: number;
  /** Set when `manifest/current` was unreadable: this publish rewrote it. */
  repaired?: ManifestRepair;
  /** What happened to the users, when the release listed them. */
  users?: UserShardReport;
}

export interface UserShardReport {
  users: number;
  shards: number;
  /** Values written (shards, and users stored apart); the others already held the same bytes. */
  valuesWritten: number;
  /** Users stored in a value of their own, too large to share a shard (user-shards.ts). */
  usersApart: number;
  /** Users left out: their record is over KV's value limit even compressed. */
  skippedUsers: number;
}

/** Model and artifact names and versions become KV key segments: keep them unambiguous. */
const keySegment = /^[A-Za-z0-9_.-]{1,64}$/;

export async function publishRelease(
  targets: PublishTargets,
  release: Release,
  options: PublishOptions = {},
): Promise<PublishResult> {
  const artifacts = release.artifacts ?? [];
  assertNamed("model", release.models);
  assertNamed("artifact", artifacts);
  const users = (release.users ?? []).map((user) => UserFeatures.parse(user));

  const serving = options.serving ?? (await readServingManifest(targets.models));
  const current = serving.manifest;
  const version = await nextManifestVersion(targets.models, current);
  const modelUploads = await Promise.all(
    release.models.map((model) =>
      prepareModelUpload(model, {
        featureVector: model.featureVector,
        preprocessing: model.preprocessing,
        metrics: model.metrics,
        chunkBytes: options.chunkBytes,
      }),
    ),
  );
  const artifactUploads = await Promise.all(
    artifacts.map((artifact) => prepareArtifactUpload(artifact, options)),
  );
  const userShards =
    release.users === undefined ? null : planUserShards(users, { previousCount: current?.users?.count });
  const footprint = releaseFootprint(release, modelUploads, userShards, options);
  if (footprint.totalBytes > footprint.budgetBytes) {
    throw new PublishError(`refused: ${overBudgetMessage(footprint, catalogShape(artifacts))}`);
  }
  // Parsed before anything is written, so a release the edge would reject writes nothing.
  const manifest = Manifest.parse({
    version,
    publishedAt: new Date().toISOString(),
    models: Object.fromEntries(modelUploads.map((upload) => [upload.entry.name, upload.entry])),
    ...(artifacts.length > 0
      ? { artifacts: Object.fromEntries(artifactUploads.map((upload) => [upload.name, upload.entry])) }
      : {}),
    ...(release.surfaces === undefined ? {} : { surfaces: release.surfaces }),
    ...(current === null ? {} : { previousVersion: current.version }),
    footprint,
    ...usersOf(userShards, current),
  });

  let keysUnchanged = 0;
  const bytePairs: HashedPair[] = [];
  for (const upload of [
    ...modelUploads.map((u) => ({ what: `model ${u.entry.name}@${u.entry.version}`, ...u })),
    ...artifactUploads.map((u) => ({ what: `artifact ${u.name}@${u.entry.version}`, ...u })),
  ]) {
    const pairs = await Promise.all(upload.chunks.map((chunk) => hashedPair(chunk.key, chunk.value)));
    const comparison = await compareWithStored(targets.models, chunkDirectory(upload.entry.keys[0]!), pairs);
    if (comparison.conflicting.length > 0) {
      // Versioned keys are immutable: an earlier manifest may name these bytes, and rollback relies on it.
      throw new PublishError(
        `${upload.what} is already in KV with different bytes (${comparison.conflicting[0]}): give it a new version`,
      );
    }
    bytePairs.push(...comparison.changed);
    keysUnchanged += comparison.unchangedCount;
  }
  const shardPairs = userShards ? await changedShards(targets.features, userShards) : null;
  keysUnchanged += shardPairs?.unchangedCount ?? 0;

  await targets.models.putMany(bytePairs);
  await targets.features.putMany(shardPairs?.changed ?? []);
  await writeManifest(targets.models, manifest);
  return {
    manifest,
    keysWritten: bytePairs.length + (shardPairs?.changed.length ?? 0) + 2,
    keysUnchanged,
    ...(serving.repair ? { repaired: serving.repair } : {}),
    ...(userShards && shardPairs
      ? {
          users: {
            users: userShards.layout.users,
            shards: userShards.layout.count,
            valuesWritten: shardPairs.changed.length,
            usersApart: userShards.overflow.length,
            skippedUsers: userShards.skippedUsers.length,
          },
        }
      : {}),
  };
}

/** The release's shard layout: this publish's, else the serving release's (its shards stay as they are). */
function usersOf(shards: UserShards | null, current: Manifest | null): { users?: UserShardLayout } {
  const layout = shards ? shards.layout : current?.users;
  return layout ? { users: layout } : {};
}

export function assertNamed(what: string, items: ReadonlyArray<{ name: string; version: string }>): void {
  const seen = new Set<string>();
  for (const item of items) {
    if (!keySegment.test(item.name) || !keySegment.test(item.version)) {
      throw new PublishError(
        `${what} '${item.name}' version '${item.version}': names and versions must be 1-64 letters, digits, '_', '.' or '-'`,
      );
    }
    if (seen.has(item.name)) {
      throw new PublishError(`${what} '${item.name}' appears twice in one release`);
    }
    seen.add(item.name);
  }
}

/** A user record's JSON size when the release writes none to measure (a few hundred bytes of ids and floats). */
const TYPICAL_USER_RECORD_BYTES = 1024;

function catalogOf(artifacts: readonly NamedArtifact[]): NamedArtifact | undefined {
  return artifacts.find((artifact) => artifact.name === ARTIFACT_NAMES.catalog);
}

/** The catalogue's header, or null when the release has none or its bytes are not one (not ours to refuse). */
function catalogHeader(artifacts: readonly NamedArtifact[]) {
  const catalog = catalogOf(artifacts);
  try {
    return catalog ? readCatalogHeader(catalog.bytes).header : null;
  } catch {
    return null;
  }
}

function catalogShape(artifacts: readonly NamedArtifact[]): { items: number; dim: number } | null {
  const header = catalogHeader(artifacts);
  return header ? { items: header.items, dim: header.embedding?.dim ?? 0 } : null;
}

function releaseFootprint(
  release: Release,
  models: ReadonlyArray<{ entry: { sizeBytes: number } }>,
  userShards: UserShards | null,
  options: PublishOptions,
): IsolateFootprint {
  const catalog = catalogOf(release.artifacts ?? []);
  const header = catalogHeader(release.artifacts ?? []);
  const users = release.users ?? [];
  // A thousand users spread over the list measure the mean as well as all of them, at a fraction of the time.
  const step = Math.max(1, Math.floor(users.length / 1000));
  const sample = users.filter((_, i) => i % step === 0);
  const userBytes = sample.reduce((sum, user) => sum + JSON.stringify(user).length, 0);
  return estimateIsolateFootprint(
    {
      modelBytes: models.map((model) => model.entry.sizeBytes),
      catalogKernelBytes: header
        ? catalogKernelBytes(header, catalog!.bytes.length)
        : (catalog?.bytes.length ?? 0),
      userRecordBytes: sample.length > 0 ? userBytes / sample.length : TYPICAL_USER_RECORD_BYTES,
      featureCacheUsers: options.featureCacheUsers ?? 10_000,
      userShardTextBytes: userShards?.meanTextBytes ?? 0,
    },
    options.memoryBudgetBytes ?? DEFAULT_ISOLATE_BUDGET_BYTES,
  );
}

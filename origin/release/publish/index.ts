/**
 * origin/release/publish: writes releases (model bytes, artifacts, user features, manifests) to Workers KV and
 * rolls them back. Two KvWriter backends: the Cloudflare REST API (production) and a local edge's
 * Miniflare KV (local stack and tests).
 */
export { type ApiKeyWriter, issueApiKey } from "./api-keys.ts";
export { type ArtifactUpload, type NamedArtifact, prepareArtifactUpload } from "./artifact-entry.ts";
export {
  type CloudflareKvConfigs,
  cloudflareKvConfigFromEnv,
  cloudflareKvTargetsFromEnv,
} from "./cloudflare-kv-env.ts";
export {
  type CloudflareKvConfig,
  cloudflareApiBaseUrl,
  cloudflareBulkLimits,
  createCloudflareKvWriter,
} from "./cloudflare-kv-writer.ts";
export { kvLimits } from "./kv-limits.ts";
export {
  type KvKeyInfo,
  type KvPair,
  type KvValue,
  type KvWriter,
  KvWriterError,
  listAllKeys,
  type PublishTargets,
} from "./kv-writer.ts";
export { listReleases, type ReleaseSummary } from "./list-releases.ts";
export {
  type ManifestRepair,
  readCurrentManifest,
  readManifest,
  readServingManifest,
  type ServingManifest,
  UnreadableManifestError,
} from "./manifest-store.ts";
export {
  createMiniflareKvWriter,
  type KVNamespaceLike,
  type MiniflareKvWriterOptions,
} from "./miniflare-kv-writer.ts";
export { type ModelUpload, maxKvValueBytes, type NamedModel, prepareModelUpload } from "./model-entry.ts";
export { publishArtifacts } from "./publish-artifacts.ts";
export { PublishError } from "./publish-error.ts";
export {
  type PublishOptions,
  type PublishResult,
  publishRelease,
  type Release,
  type ReleaseModel,
  type UserShardReport,
} from "./publish-release.ts";
export type { RetryPolicy } from "./retry.ts";
export { type RollbackOptions, rollback } from "./rollback.ts";
export { changedShards, planUserShards, USER_SHARD_LIMITS, type UserShards } from "./user-shards.ts";

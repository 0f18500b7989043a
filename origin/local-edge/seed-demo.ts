/**
 * Seeds a local edge's KV with the deterministic demo models and demo users, so the Worker has
 * something real to serve before any training has run (`npm start`, the Worker's tests and the
 * edge benchmark).
 */
import type { Manifest, UserFeatures } from "../../models/contracts/index.ts";
import { kvKeys } from "../../models/contracts/index.ts";
import { buildDemoModels, DEMO_PROPENSITY, type DemoModels } from "../../models/onnx/index.ts";
import { mulberry32, randomUniformArray } from "../../models/random.ts";
import { prepareModelUpload } from "../publish/model-entry.ts";
import type { KVNamespaceLike } from "./local-edge.ts";

export const demoSeed = 20261127;
/** The feature vector name the demo propensity model reads from each user's record. */
export const demoFeatureVector = "behaviour";

export interface DemoSeedResult {
  manifest: Manifest;
  models: DemoModels;
  users: UserFeatures[];
}

export async function seedDemo(
  kv: { models: KVNamespaceLike; features: KVNamespaceLike },
  options: { users?: number; manifestVersion?: number } = {},
): Promise<DemoSeedResult> {
  const models = buildDemoModels(demoSeed);
  const uploads = await Promise.all([
    prepareModelUpload(models.propensity, { featureVector: demoFeatureVector }),
    prepareModelUpload(models.itemScorer),
  ]);
  for (const upload of uploads) {
    for (const chunk of upload.chunks) {
      await kv.models.put(chunk.key, chunk.value);
    }
  }
  const users = demoUsers(options.users ?? 100);
  for (const user of users) {
    await kv.features.put(kvKeys.user(user.userId), JSON.stringify(user));
  }
  const manifest: Manifest = {
    version: options.manifestVersion ?? 1,
    publishedAt: new Date().toISOString(),
    models: Object.fromEntries(uploads.map((upload) => [upload.entry.name, upload.entry])),
  };
  // Bytes first, manifest last: the edge never sees a manifest whose models are missing.
  await kv.models.put(kvKeys.manifest(manifest.version), JSON.stringify(manifest));
  await kv.models.put(kvKeys.currentManifest, JSON.stringify(manifest));
  return { manifest, models, users };
}

/** Users `demo-0` … with a seeded behaviour vector each. */
export function demoUsers(count: number): UserFeatures[] {
  const rng = mulberry32(demoSeed + 1);
  const updatedAt = new Date(0).toISOString();
  return Array.from({ length: count }, (_, i) => ({
    userId: `demo-${i}`,
    updatedAt,
    vectors: { [demoFeatureVector]: Array.from(randomUniformArray(rng, DEMO_PROPENSITY.inputDim)) },
    producedFor: {},
  }));
}

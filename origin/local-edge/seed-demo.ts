/**
 * Seeds a local edge's KV with the deterministic demo models and demo users, so the Worker has
 * something real to serve before any training has run (`npm start`, the Worker's tests and the
 * edge benchmark). It publishes through the same publisher as a real release.
 */
import type { Manifest, UserFeatures } from "../../models/contracts/index.ts";
import { buildDemoModels, DEMO_PROPENSITY, type DemoModels } from "../../models/onnx/index.ts";
import { mulberry32, randomUniformArray } from "../../models/random.ts";
import { createMiniflareKvWriter } from "../publish/miniflare-kv-writer.ts";
import { publishRelease } from "../publish/publish-release.ts";
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
  options: { users?: number } = {},
): Promise<DemoSeedResult> {
  const models = buildDemoModels(demoSeed);
  const users = demoUsers(options.users ?? 100);
  const { manifest } = await publishRelease(
    { models: createMiniflareKvWriter(kv.models), features: createMiniflareKvWriter(kv.features) },
    { models: [{ ...models.propensity, featureVector: demoFeatureVector }, models.itemScorer], users },
  );
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

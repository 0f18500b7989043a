/**
 * Seeds a local edge's KV with the deterministic demo models and demo users, so the Worker has
 * something real to serve before any training has run (`npm start`, the Worker's tests and the
 * edge benchmark). It publishes through the same publisher as a real release.
 */
import { type CatalogInput, encodeCatalog } from "../../../models/catalog/index.ts";
import {
  ARTIFACT_NAMES,
  type Manifest,
  type UserFeatures,
  VECTOR_TABLE_NAMES,
} from "../../../models/contracts/index.ts";
import {
  buildDemoModels,
  DEMO_BEHAVIOUR,
  DEMO_ITEM_SCORER,
  DEMO_MODEL_VERSION,
  type DemoModels,
} from "../../../models/onnx/index.ts";
import { mulberry32, randomNormalArray, randomUniformArray } from "../../../models/random.ts";
import type { KVNamespaceLike } from "../../release/index.ts";
import { createMiniflareKvWriter, publishRelease } from "../../release/index.ts";

export const demoSeed = 20261127;
/** The feature vector name the demo behaviour model reads from each user's record. */
export const demoFeatureVector = VECTOR_TABLE_NAMES.behaviour;

export interface DemoSeedResult {
  manifest: Manifest;
  models: DemoModels;
  users: UserFeatures[];
  catalog: CatalogInput;
}

const demoCategories = ["books", "music", "film", "games", "garden", "kitchen", "sports", "toys"];

export async function seedDemo(
  kv: { models: KVNamespaceLike; features: KVNamespaceLike },
  options: { users?: number } = {},
): Promise<DemoSeedResult> {
  const models = buildDemoModels(demoSeed);
  const catalog = demoCatalog(models);
  const users = demoUsers(options.users ?? 100, catalog.itemIds);
  const { manifest } = await publishRelease(
    { models: createMiniflareKvWriter(kv.models), features: createMiniflareKvWriter(kv.features) },
    {
      models: [{ ...models.behaviour, featureVector: demoFeatureVector }, models.itemScorer],
      artifacts: [
        { name: ARTIFACT_NAMES.catalog, version: DEMO_MODEL_VERSION, bytes: encodeCatalog(catalog) },
      ],
      users,
    },
  );
  return { manifest, models, users, catalog };
}

/**
 * The demo item scorer's 1,000 items as a catalogue: its item table as embeddings, Zipf-like
 * popularity, a category and a price each. Random, but shaped like a real shop's catalogue.
 */
export function demoCatalog(models: DemoModels): CatalogInput {
  const rng = mulberry32(demoSeed + 2);
  const { dim } = DEMO_ITEM_SCORER;
  const itemIds = demoItemIds();
  return {
    version: DEMO_MODEL_VERSION,
    itemIds,
    popularity: itemIds.map((_, i) => 1000 / (i + 1)),
    trending: itemIds.map(() => rng() * 10),
    categories: itemIds.map((_, i) => [demoCategories[i % demoCategories.length]!]),
    price: itemIds.map(() => Math.round(500 + rng() * 9500) / 100),
    sentiment: demoSentiment(rng, itemIds.length),
    embedding: {
      model: DEMO_ITEM_SCORER.name,
      version: DEMO_MODEL_VERSION,
      dim,
      vectors: models.itemScorer.options.itemTable,
    },
  };
}

function demoSentiment(rng: () => number, items: number): { mean: number[]; count: number[] } {
  const count = Array.from({ length: items }, () => Math.floor(rng() * 40));
  return { mean: count.map((reviews) => (reviews === 0 ? Number.NaN : rng())), count };
}

function demoItemIds(): string[] {
  return Array.from({ length: DEMO_ITEM_SCORER.items }, (_, i) => `item-${i}`);
}

/** Users `demo-0` … with a behaviour vector, an item-space embedding and five recent items each. */
export function demoUsers(count: number, itemIds: readonly string[] = demoItemIds()): UserFeatures[] {
  const rng = mulberry32(demoSeed + 1);
  const updatedAt = new Date(0).toISOString();
  return Array.from({ length: count }, (_, i) => ({
    userId: `demo-${i}`,
    updatedAt,
    vectors: { [demoFeatureVector]: Array.from(randomUniformArray(rng, DEMO_BEHAVIOUR.inputDim)) },
    producedFor: {},
    embedding: {
      model: DEMO_ITEM_SCORER.name,
      version: DEMO_MODEL_VERSION,
      values: Array.from(randomNormalArray(rng, DEMO_ITEM_SCORER.dim)),
    },
    recentItems: Array.from({ length: 5 }, () => itemIds[Math.floor(rng() * itemIds.length)]!),
  }));
}

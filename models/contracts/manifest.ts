/**
 * The manifest: the one small KV value the edge reads to find its models. Publishing writes every
 * model's bytes first and the manifest last, so an edge never sees a manifest whose bytes are absent
 * (KV's eventual consistency can still delay them; the edge then keeps serving what it has).
 */
import { z } from "zod";
import { TabularEncoderSpec } from "../features/index.ts";
import { TextFeatureSpec } from "../text/index.ts";
import { UserShardLayout } from "./user-features.ts";

export const TensorSpec = z.object({
  name: z.string().min(1),
  dtype: z.enum(["float32", "int64", "int32", "int8", "uint8"]),
  /** Dimensions; a string (or -1) marks a symbolic dimension such as the batch size. */
  shape: z.array(z.union([z.number().int(), z.string()])),
});
export type TensorSpec = z.infer<typeof TensorSpec>;

/**
 * How the edge turns a request into the model's input, written once in models/ and shipped with the
 * model so both sides encode identically: text features (hashed n-grams and sentiment cues), or tabular
 * columns. `text-hash` is the text features of releases before 0.2 (sublinear n-gram counts, a dense
 * input): still read, so an older manifest loads, but no edge computes it any more.
 */
export const Preprocessing = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text-features"), spec: TextFeatureSpec }),
  z.object({ kind: z.literal("text-hash"), spec: z.record(z.string(), z.unknown()) }),
  z.object({ kind: z.literal("tabular"), spec: TabularEncoderSpec }),
]);
export type Preprocessing = z.infer<typeof Preprocessing>;

export const ModelEntry = z.object({
  name: z.string().min(1).max(64),
  version: z.string().min(1).max(64),
  /** What the model computes, so the edge knows how to feed it. */
  kind: z.enum([
    "mlp-scorer",
    "embedding-scorer",
    "linear-classifier",
    "sparse-linear-classifier",
    "tree-ensemble",
  ]),
  /** KV keys of the model bytes in order; more than one when a model exceeds KV's value limit. */
  keys: z.array(z.string().min(1)).min(1),
  sizeBytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  inputs: z.array(TensorSpec).min(1),
  outputs: z.array(TensorSpec).min(1),
  quantization: z.enum(["int8", "float32"]),
  /** Which of the user's feature vectors feeds this model (see UserFeatures.vectors). */
  featureVector: z.string().min(1).optional(),
  preprocessing: Preprocessing.optional(),
  metrics: z.record(z.string(), z.number()).default({}),
});
export type ModelEntry = z.infer<typeof ModelEntry>;

/** How a set of weights was chosen: measured on held-out data, or the defaults when there was too little. */
export const WeightChoice = z.object({
  method: z.enum(["validation", "default"]),
  /** What the chosen weights maximised, e.g. `next-item-ndcg@10` or `cold-ndcg@10`. */
  metric: z.string().min(1).max(64),
  /** Held-out items (or users) it was measured on; 0 with `default`. */
  heldOut: z.number().int().min(0),
  /** The chosen weights' figure on the held-out set; null with `default`. */
  score: z.number().nullable(),
  /** The best single part's figure on the same held-out set, for comparison; null with `default`. */
  bestSinglePart: z.number().nullable(),
});
export type WeightChoice = z.infer<typeof WeightChoice>;

/** One block of the fused content vector: which source it holds, its width and its weight. */
export const ContentVectorPart = z.object({
  /** `text-tfidf`, `text-encoder`, `image-descriptors`, `image-encoder`, `item2vec`. */
  name: z.string().min(1).max(64),
  /** Width of its block in the fused vector, before the projection to the catalogue's table. */
  dim: z.number().int().min(1).max(4096),
  /** Its share of the fused cosine (each block is unit-length times √weight); the weights sum to 1. */
  weight: z.number().min(0).max(1),
  /** Items that have this part; the others hold zeros in its block. */
  items: z.number().int().min(0),
});
export type ContentVectorPart = z.infer<typeof ContentVectorPart>;

/**
 * What the catalogue's content vectors are made of, recorded on the catalogue's artifact entry: the fused
 * vector's parts in block order with their weights, its projection to the catalogue's table, and the map
 * that gives items the recommender has not seen their embedding row. The edge serves without reading it;
 * it tells an operator what a release's content similarity and cold-start answers rest on
 * (origin/train/enrichment/content-vectors/).
 */
export const ContentVectors = z.object({
  /** Width of the catalogue's content table: the fused vectors on their top singular directions. */
  dim: z.number().int().min(1).max(4096),
  /** Share of the fused vectors' squared length those `dim` directions keep. */
  explained: z.number().min(0).max(1),
  parts: z.array(ContentVectorPart).min(1),
  weighting: WeightChoice,
  /** Absent when no recommender was trained (nothing to map into). */
  coldStart: z
    .object({
      /** Catalogue items whose embedding row is the map's answer (no interaction in the window). */
      items: z.number().int().min(0),
      /** The parts the map reads (those an item has before anyone interacts with it) and their weights. */
      parts: z.array(z.object({ name: z.string().min(1).max(64), weight: z.number().min(0).max(1) })).min(1),
      /** Ridge strength of the map. */
      lambda: z.number().positive(),
      /**
       * Weight of the popularity the content predicts, added along the mean user's direction (in
       * standard deviations of log-popularity per unit of score); 0 when validation chose none.
       */
      popularityPrior: z.number().min(0),
      weighting: WeightChoice,
    })
    .optional(),
});
export type ContentVectors = z.infer<typeof ContentVectors>;

/** A named binary blob published with the models (an item catalogue, a vocabulary), chunked like them. */
export const ArtifactEntry = z.object({
  version: z.string().min(1).max(64),
  /** KV keys of the bytes in order (see kvKeys.artifactChunk). */
  keys: z.array(z.string().min(1)).min(1),
  sizeBytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  /** Set on the catalogue when it holds content vectors: their parts, weights and cold-start map. */
  contentVectors: ContentVectors.optional(),
});
export type ArtifactEntry = z.infer<typeof ArtifactEntry>;

const bytes = z.number().int().nonnegative();
const IsolateFootprintSchema = z.object({
  totalBytes: bytes,
  budgetBytes: bytes,
  parts: z.object({
    runtime: bytes,
    ort: bytes,
    sessions: bytes,
    catalog: bytes,
    catalogSwitch: bytes,
    features: bytes,
  }),
});

export const Manifest = z.object({
  /** Grows with every publish; rollback writes an earlier manifest's content under a new number. */
  version: z.number().int().nonnegative(),
  publishedAt: z.string(),
  models: z.record(z.string(), ModelEntry),
  artifacts: z.record(z.string(), ArtifactEntry).optional(),
  /** Named surface configurations (home, product page…); their shape belongs to the decision engine. */
  surfaces: z.record(z.string(), z.unknown()).optional(),
  /** The version that was serving when this one was written: what a rollback returns to by default. */
  previousVersion: z.number().int().nonnegative().optional(),
  /** Set by a rollback: the earlier version whose content this manifest carries again. */
  restoredFrom: z.number().int().nonnegative().optional(),
  /** The publisher's estimate of one edge isolate's memory for this release (isolate-footprint.ts). */
  footprint: IsolateFootprintSchema.optional(),
  /** Where the release's users are; absent: the release has no user features. */
  users: UserShardLayout.optional(),
});
export type Manifest = z.infer<typeof Manifest>;

/** The manifest's artifact names: what the publisher writes under `artifacts` and the edge looks up. */
export const ARTIFACT_NAMES = {
  /** The item catalogue (ids, popularity, embeddings). */
  catalog: "catalog",
  /** Every user's features of a release, kept for rollback. */
  userFeatures: "user-features",
  /** The bandit policies of every surface and experiment arm. */
  bandit: "bandit",
} as const;

/** The names a training run publishes under; `recs` is the catalogue's registry name, not a manifest model. */
export const MODEL_NAMES = { recs: "recs", sentiment: "sentiment", behaviour: "behaviour" } as const;

/** Vector tables in a user's features (`UserFeatures.vectors`) that a model names as its `featureVector`. */
export const VECTOR_TABLE_NAMES = { behaviour: "behaviour" } as const;

/** KV key layout shared by the publisher and the edge. */
export const kvKeys = {
  currentManifest: "manifest/current",
  /** Every manifest key starts with this; listing it finds the releases kept for rollback. */
  manifestPrefix: "manifest/",
  manifest: (version: number) => `manifest/${version}`,
  modelChunk: (name: string, version: string, chunk: number) => `model/${name}/${version}/${chunk}`,
  artifactChunk: (name: string, version: string, chunk: number) => `artifact/${name}/${version}/${chunk}`,
  /** Every shard of one layout (a shard count) starts with this; listing it tells which shards changed. */
  userShardPrefix: (count: number) => `users/${count}/`,
  userShard: (count: number, index: number) => `users/${count}/${index}`,
  /** The `n`-th user (in id order) of shard `index` whose record is too large to share the shard. */
  userOverflow: (count: number, index: number, n: number) => `users/${count}/${index}/${n}`,
  /** An API key's record, under the hex SHA-256 of the key: the key itself is never stored. */
  apiKey: (sha256Hex: string) => `apikey/${sha256Hex}`,
} as const;

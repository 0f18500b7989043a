/**
 * The manifest: the one small KV value the edge reads to find its models. Publishing writes every
 * model's bytes first and the manifest last, so an edge never sees a manifest whose bytes are absent
 * (KV's eventual consistency can still delay them; the edge then keeps serving what it has).
 */
import { z } from "zod";
import { TabularEncoderSpec } from "../features/index.ts";
import { TextFeatureSpec } from "../text/index.ts";

export const TensorSpec = z.object({
  name: z.string().min(1),
  dtype: z.enum(["float32", "int64", "int32", "int8", "uint8"]),
  /** Dimensions; a string (or -1) marks a symbolic dimension such as the batch size. */
  shape: z.array(z.union([z.number().int(), z.string()])),
});
export type TensorSpec = z.infer<typeof TensorSpec>;

/**
 * How the edge turns a request into the model's input, written once in models/ and shipped with the
 * model so both sides encode identically: hashed text n-grams, or tabular columns.
 */
export const Preprocessing = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("text-hash"), spec: TextFeatureSpec }),
  z.object({ kind: z.literal("tabular"), spec: TabularEncoderSpec }),
]);
export type Preprocessing = z.infer<typeof Preprocessing>;

export const ModelEntry = z.object({
  name: z.string().min(1).max(64),
  version: z.string().min(1).max(64),
  /** What the model computes, so the edge knows how to feed it. */
  kind: z.enum(["mlp-scorer", "embedding-scorer", "linear-classifier", "sparse-linear-classifier"]),
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

/** A named binary blob published with the models (an item catalogue, a vocabulary), chunked like them. */
export const ArtifactEntry = z.object({
  version: z.string().min(1).max(64),
  /** KV keys of the bytes in order (see kvKeys.artifactChunk). */
  keys: z.array(z.string().min(1)).min(1),
  sizeBytes: z.number().int().positive(),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
});
export type ArtifactEntry = z.infer<typeof ArtifactEntry>;

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
  userPrefix: "user/",
  user: (userId: string) => `user/${userId}`,
  /** An API key's record, under the hex SHA-256 of the key: the key itself is never stored. */
  apiKey: (sha256Hex: string) => `apikey/${sha256Hex}`,
} as const;

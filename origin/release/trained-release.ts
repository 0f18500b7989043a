import {
  ARTIFACT_NAMES,
  type ContentVectors,
  MODEL_NAMES,
  type Surfaces,
  type UserFeatures,
} from "../../models/contracts/index.ts";
import type { NamedArtifact, ReleaseModel } from "./publish/index.ts";
import type { CandidateModel } from "./registry/index.ts";

/** Names under which a training run publishes; the publisher carries these over when a run skips one. */
export const PIPELINE_MODELS = MODEL_NAMES;
export const CATALOG_ARTIFACT = ARTIFACT_NAMES.catalog;

/** Rows (or fields) left out of a run, by reason. */
/**
 * What a run did with items' images (origin/train/enrichment/images/): items with an image URL, those
 * described, and the skipped ones by reason. Declared here, with the release it is reported in.
 */
export interface ImageFeatureReport {
  /** items with an image URL */
  withImage: number;
  /** items that got an image vector */
  described: number;
  /** items whose image was skipped, by reason */
  failed: number;
  failures: Partial<Record<string, number>>;
  /** distinct images (by content hash) decoded this run, failed decodes included; cached ones not */
  distinctImages: number;
  /** items whose image came from the image cache without a download (still fresh, or answered 304) */
  reused: number;
}

export interface SkippedRows {
  total: number;
  reasons: Record<string, number>;
}

/** What one training run produced: a release ready for the publish gate and the publisher. */
export interface TrainedRelease {
  runId: string;
  trainedAt: string;
  /** Event times of the oldest and newest interaction trained on. */
  dataWindow: { startMs: number; endMs: number };
  /** Models the edge runs (sentiment, behaviour), when trained this time. */
  models: ReleaseModel[];
  /** The item catalogue and the user-features snapshot. */
  artifacts: NamedArtifact[];
  users: UserFeatures[];
  surfaces: Surfaces;
  /** One registry entry per model trained: `recs` (the catalogue), `sentiment`, `behaviour`. */
  candidates: CandidateModel[];
  /** What was skipped or limited, and why. */
  notes: string[];
  counts: { events: number; users: number; items: number; userItemPairs: number; reviews: number };
  /** Stored rows (or item and user fields) the run could not use and left out, by reason. */
  skipped: SkippedRows;
  /** Items' images: how many got image features and how many were skipped, by reason (when asked for). */
  images?: ImageFeatureReport;
  /** What the catalogue's content vectors are made of: parts, weights, cold-start map (when any part exists). */
  contentVectors?: ContentVectors;
  /** Wall time per step, for the run log and benchmarks. */
  timingsMs: Record<string, number>;
}

/** A run that found nothing to train on. */
export class NoTrainingDataError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "NoTrainingDataError";
  }
}

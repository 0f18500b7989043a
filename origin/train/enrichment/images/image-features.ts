import type { ImageFeatureReport } from "../../../release/index.ts";
import type { ItemContent } from "../item-content.ts";
import { IMAGE_DESCRIPTOR_DIM, ImageDecodeError } from "./describe-image.ts";
import { ImageDescriptorCache } from "./descriptor-cache.ts";
import {
  DEFAULT_IMAGE_FETCH_POLICY,
  type FetchedImage,
  ImageFetchError,
  type ImageFetchFailure,
  type ImageFetchPolicy,
} from "./fetch-image.ts";
import type { ImageCacheStore } from "./image-cache.ts";
import type { ImageEncoder } from "./image-encoder-spec.ts";
import { EncoderError, imageResolver } from "./resolve-image.ts";

export type { ImageFeatureReport };

export type ImageFailure = ImageFetchFailure | "decode" | "encoder";

export interface ImageFeatureOptions {
  policy?: ImageFetchPolicy;
  /** images fetched and decoded at once; default 4 */
  concurrency?: number;
  /** shared across calls to skip images already described in this process; default a new cache per call */
  cache?: ImageDescriptorCache;
  /** how bytes are fetched; default fetchImage under `policy` (with conditional requests) */
  fetch?: (url: string) => Promise<FetchedImage>;
  /** an ONNX image encoder (IMAGE_ENCODER_MODEL) whose embedding joins the descriptors; default none */
  encoder?: ImageEncoder;
  /** image work kept between runs (IMAGE_CACHE_DIR): URLs, descriptions, embeddings; default none */
  store?: ImageCacheStore;
  /** how long an HTTP answer without max-age is reused before asking again (IMAGE_CACHE_MAX_AGE_SECONDS) */
  maxAgeSeconds?: number;
  /** the clock the store's lifetimes are read against; default Date.now */
  now?: () => number;
}

/** Reuse an image for a week when its server says nothing about how long. */
export const DEFAULT_IMAGE_MAX_AGE_SECONDS = 7 * 86_400;

/** One block of the image vector: its width and its share of the cosine similarity. */
export interface ImageVectorPart {
  name: string;
  dim: number;
  weight: number;
}

/** What a run did with its items' images: its report counts these. */

export interface ImageFeatures {
  dim: number;
  /** the blocks of each vector, in order: the descriptors, then the encoder's embedding if one ran */
  parts: ImageVectorPart[];
  /** [items × dim] row-major; a zero row for an item without a usable image */
  vectors: Float32Array;
  /** 1 where the item got a vector */
  present: Uint8Array;
  /** each item's 64-bit perceptual hash (16 hex digits), null without an image */
  perceptualHashes: (string | null)[];
  report: ImageFeatureReport;
}

/**
 * Image features for every item with an `imageUrl`: fetched under the policy's guard, described once per
 * distinct image (content hash), as descriptorVector rows. A failing image (refused, too large, too slow,
 * not decodable) is counted in the report and leaves its item's row zero; it never stops the others.
 */
export async function extractImageFeatures(
  items: readonly ItemContent[],
  options: ImageFeatureOptions = {},
): Promise<ImageFeatures> {
  const cache = options.cache ?? new ImageDescriptorCache();
  const decodedBefore = cache.decoded;
  const { encoder } = options;
  const resolve = imageResolver({
    policy: options.policy ?? DEFAULT_IMAGE_FETCH_POLICY,
    ...(options.fetch ? { fetch: options.fetch } : {}),
    descriptors: cache,
    ...(encoder ? { encoder } : {}),
    ...(options.store ? { store: options.store } : {}),
    maxAgeSeconds: options.maxAgeSeconds ?? DEFAULT_IMAGE_MAX_AGE_SECONDS,
    now: options.now ?? Date.now,
  });
  const descriptorRows: (Float32Array | undefined)[] = new Array(items.length);
  const encoderRows: (Float32Array | undefined)[] = new Array(items.length);
  const perceptualHashes: (string | null)[] = new Array(items.length).fill(null);
  const report: ImageFeatureReport = {
    withImage: 0,
    described: 0,
    failed: 0,
    failures: {},
    distinctImages: 0,
    reused: 0,
  };
  const work: number[] = [];
  items.forEach((item, i) => {
    if (item.imageUrl !== undefined && item.imageUrl !== "") {
      work.push(i);
    }
  });
  report.withImage = work.length;

  let next = 0;
  const worker = async () => {
    while (next < work.length) {
      const i = work[next++]!;
      try {
        const image = await resolve(items[i]!.imageUrl!);
        descriptorRows[i] = image.description.vector;
        perceptualHashes[i] = image.description.perceptualHash;
        encoderRows[i] = image.embedding;
        report.described++;
        report.reused += image.reused ? 1 : 0;
      } catch (error) {
        const reason: ImageFailure =
          error instanceof ImageFetchError
            ? error.reason
            : error instanceof ImageDecodeError
              ? "decode"
              : error instanceof EncoderError
                ? "encoder"
                : "network";
        report.failed++;
        report.failures[reason] = (report.failures[reason] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  report.distinctImages = cache.decoded - decodedBefore;

  const encoderDim = encoderRows.find((row) => row !== undefined)?.length ?? 0;
  const parts: ImageVectorPart[] = [
    { name: "descriptors", dim: IMAGE_DESCRIPTOR_DIM, weight: encoder ? 1 - ENCODER_WEIGHT : 1 },
  ];
  if (encoder) {
    parts.push({ name: encoder.name, dim: encoderDim, weight: ENCODER_WEIGHT });
  }
  const dim = IMAGE_DESCRIPTOR_DIM + encoderDim;
  const vectors = new Float32Array(items.length * dim);
  const present = new Uint8Array(items.length);
  for (let i = 0; i < items.length; i++) {
    const descriptor = descriptorRows[i];
    if (descriptor === undefined) {
      continue;
    }
    present[i] = 1;
    // descriptor vectors have unit norm; scaling each block by √weight makes the cosine a weighted mean
    const row = vectors.subarray(i * dim, (i + 1) * dim);
    const descriptorScale = Math.sqrt(parts[0]!.weight);
    descriptor.forEach((v, j) => {
      row[j] = v * descriptorScale;
    });
    const embedding = encoderRows[i];
    if (embedding !== undefined && embedding.length === encoderDim) {
      let norm = 0;
      for (const v of embedding) {
        norm += v * v;
      }
      const scale = norm > 0 ? Math.sqrt(ENCODER_WEIGHT / norm) : 0;
      embedding.forEach((v, j) => {
        row[IMAGE_DESCRIPTOR_DIM + j] = v * scale;
      });
    }
  }
  return { dim, parts, vectors, present, perceptualHashes, report };
}

/** Share of an image vector's cosine similarity given to a learned encoder's embedding when one runs. */
export const ENCODER_WEIGHT = 0.5;

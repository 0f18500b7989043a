import type { ItemContent, ItemFeatureExtractor } from "../item-content.ts";
import { descriptorVector, IMAGE_DESCRIPTOR_DIM, ImageDecodeError } from "./describe-image.ts";
import { ImageDescriptorCache } from "./descriptor-cache.ts";
import {
  DEFAULT_IMAGE_FETCH_POLICY,
  type FetchedImage,
  fetchImage,
  ImageFetchError,
  type ImageFetchFailure,
  type ImageFetchPolicy,
} from "./fetch-image.ts";

export type ImageFailure = ImageFetchFailure | "decode";

export interface ImageFeatureOptions {
  policy?: ImageFetchPolicy;
  /** images fetched and decoded at once; default 4 */
  concurrency?: number;
  /** shared across runs to skip images already described; default a new cache per call */
  cache?: ImageDescriptorCache;
  /** how bytes are fetched; default fetchImage under `policy` */
  fetch?: (url: string) => Promise<FetchedImage>;
}

/** What a run did with its items' images: its report counts these. */
export interface ImageFeatureReport {
  /** items with an image URL */
  withImage: number;
  /** items that got an image vector */
  described: number;
  /** items whose image was skipped, by reason */
  failed: number;
  failures: Partial<Record<ImageFailure, number>>;
  /** distinct images (by content hash) decoded this run, failed decodes included; cached ones not */
  distinctImages: number;
}

export interface ImageFeatures {
  dim: number;
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
  const policy = options.policy ?? DEFAULT_IMAGE_FETCH_POLICY;
  const fetchBytes = options.fetch ?? ((url: string) => fetchImage(url, policy));
  const cache = options.cache ?? new ImageDescriptorCache();
  const decodedBefore = cache.decoded;
  const dim = IMAGE_DESCRIPTOR_DIM;
  const vectors = new Float32Array(items.length * dim);
  const present = new Uint8Array(items.length);
  const perceptualHashes: (string | null)[] = new Array(items.length).fill(null);
  const report: ImageFeatureReport = {
    withImage: 0,
    described: 0,
    failed: 0,
    failures: {},
    distinctImages: 0,
  };
  // The same URL on many items is fetched once.
  const fetched = new Map<string, Promise<FetchedImage>>();

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
      const url = items[i]!.imageUrl!;
      try {
        let bytes = fetched.get(url);
        if (bytes === undefined) {
          bytes = fetchBytes(url);
          fetched.set(url, bytes);
        }
        const descriptors = await cache.get((await bytes).bytes);
        vectors.set(descriptorVector(descriptors), i * dim);
        present[i] = 1;
        perceptualHashes[i] = descriptors.perceptualHash;
        report.described++;
      } catch (error) {
        const reason: ImageFailure =
          error instanceof ImageFetchError
            ? error.reason
            : error instanceof ImageDecodeError
              ? "decode"
              : "network";
        report.failed++;
        report.failures[reason] = (report.failures[reason] ?? 0) + 1;
      }
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 4) }, worker));
  report.distinctImages = cache.decoded - decodedBefore;
  return { dim, vectors, present, perceptualHashes, report };
}

/** Image features as an ItemFeatureExtractor (the seam in item-content.ts); the last call's report is kept. */
export function imageFeatureExtractor(
  options: ImageFeatureOptions = {},
): ItemFeatureExtractor & { lastReport?: ImageFeatureReport } {
  const extractor: ItemFeatureExtractor & { lastReport?: ImageFeatureReport } = {
    name: "image-descriptors",
    dim: IMAGE_DESCRIPTOR_DIM,
    async extract(items) {
      const features = await extractImageFeatures(items, options);
      extractor.lastReport = features.report;
      return features.vectors;
    },
  };
  return extractor;
}

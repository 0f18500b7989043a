import type { ImageFeatureReport } from "../../../release/index.ts";
import type { ItemContent } from "../item-content.ts";
import { descriptorVector, IMAGE_DESCRIPTOR_DIM, ImageDecodeError } from "./describe-image.ts";
import { contentHash, ImageDescriptorCache } from "./descriptor-cache.ts";
import {
  DEFAULT_IMAGE_FETCH_POLICY,
  type FetchedImage,
  fetchImage,
  ImageFetchError,
  type ImageFetchFailure,
  type ImageFetchPolicy,
} from "./fetch-image.ts";
import type { ImageEncoder } from "./image-encoder-spec.ts";

export type { ImageFeatureReport };

export type ImageFailure = ImageFetchFailure | "decode" | "encoder";

export interface ImageFeatureOptions {
  policy?: ImageFetchPolicy;
  /** images fetched and decoded at once; default 4 */
  concurrency?: number;
  /** shared across runs to skip images already described; default a new cache per call */
  cache?: ImageDescriptorCache;
  /** how bytes are fetched; default fetchImage under `policy` */
  fetch?: (url: string) => Promise<FetchedImage>;
  /** an ONNX image encoder (IMAGE_ENCODER_MODEL) whose embedding joins the descriptors; default none */
  encoder?: ImageEncoder;
}

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
  const policy = options.policy ?? DEFAULT_IMAGE_FETCH_POLICY;
  const fetchBytes = options.fetch ?? ((url: string) => fetchImage(url, policy));
  const cache = options.cache ?? new ImageDescriptorCache();
  const decodedBefore = cache.decoded;
  const descriptorRows: (Float32Array | undefined)[] = new Array(items.length);
  const encoderRows: (Float32Array | undefined)[] = new Array(items.length);
  const perceptualHashes: (string | null)[] = new Array(items.length).fill(null);
  const report: ImageFeatureReport = {
    withImage: 0,
    described: 0,
    failed: 0,
    failures: {},
    distinctImages: 0,
  };
  // The same URL on many items is fetched once, the same bytes encoded once.
  const fetched = new Map<string, Promise<FetchedImage>>();
  const encoded = new Map<string, Promise<Float32Array>>();
  const { encoder } = options;

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
        let image = fetched.get(url);
        if (image === undefined) {
          image = fetchBytes(url);
          fetched.set(url, image);
        }
        const { bytes } = await image;
        const descriptors = await cache.get(bytes);
        if (encoder) {
          const key = contentHash(bytes);
          let embedding = encoded.get(key);
          if (embedding === undefined) {
            embedding = encoder.encode([bytes]).then(([row]) => row!);
            encoded.set(key, embedding);
          }
          encoderRows[i] = await embedding.catch((error: unknown) => {
            throw error instanceof ImageDecodeError ? error : new EncoderError((error as Error).message);
          });
        }
        descriptorRows[i] = descriptorVector(descriptors);
        perceptualHashes[i] = descriptors.perceptualHash;
        report.described++;
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

class EncoderError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EncoderError";
  }
}

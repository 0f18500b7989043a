import type { SparseRows } from "../../../../models/features/index.ts";
import type { ContentPart } from "../../../release/index.ts";
import { type ContentToFactors, fitContentToFactorsTuned, predictFactors } from "../content-to-factors.ts";
import type { ImageFeatures } from "./image-features.ts";

/** Share of a content vector taken from the image when an item has both text and an image. */
export const IMAGE_CONTENT_WEIGHT = 0.5;
/** Fewer warm items with images than this and no image map is fitted: too little to learn from. */
const MIN_IMAGE_SUPPORT = 10;

export type { ContentPart };

export interface FusedContent {
  /** [items × factors]: text and image predictions mixed by weight; either alone where only one exists */
  contentVectors: Float32Array;
  imageMap?: ContentToFactors;
  parts: ContentPart[];
}

/**
 * Content vectors in the MF space from text and images together. A second kernel-ridge map (the text one's
 * twin, λ chosen on held-out warm items) learns MF vectors from image feature vectors on the warm items that
 * have an image; an item with both gets (1 − w)·text + w·image, one with only an image (no title, text or
 * categories) gets the image's prediction, and the rest keep the text one.
 */
export function fuseImageContent(args: {
  images: ImageFeatures;
  textVectors: Float32Array;
  /** 1 where the item's TF-IDF row is not empty */
  hasText: Uint8Array;
  itemFactors: Float32Array;
  factors: number;
  rowOfItem: Int32Array;
  maxSupport: number;
  lambdas: readonly number[];
  weight?: number;
}): FusedContent {
  const { images, factors } = args;
  const items = args.hasText.length;
  const weight = args.weight ?? IMAGE_CONTENT_WEIGHT;
  const textItems = args.hasText.reduce((sum, v) => sum + v, 0);
  const support: number[] = [];
  for (let i = 0; i < items && support.length < args.maxSupport; i++) {
    if (images.present[i] === 1 && args.rowOfItem[i]! >= 0) {
      support.push(i);
    }
  }
  if (support.length < MIN_IMAGE_SUPPORT) {
    return { contentVectors: args.textVectors, parts: [{ name: "text-tfidf", items: textItems, weight: 1 }] };
  }
  const targets = new Float32Array(support.length * factors);
  support.forEach((i, r) => {
    const row = args.rowOfItem[i]!;
    targets.set(args.itemFactors.subarray(row * factors, (row + 1) * factors), r * factors);
  });
  const imageMap = fitContentToFactorsTuned(denseRows(images, support), targets, factors, args.lambdas).map;
  const withImage = Array.from(images.present.keys()).filter((i) => images.present[i] === 1);
  const predicted = predictFactors(imageMap, denseRows(images, withImage));
  const contentVectors = args.textVectors.slice();
  withImage.forEach((i, r) => {
    const share = args.hasText[i] === 1 ? weight : 1;
    for (let a = 0; a < factors; a++) {
      contentVectors[i * factors + a] =
        (1 - share) * args.textVectors[i * factors + a]! + share * predicted[r * factors + a]!;
    }
  });
  return {
    contentVectors,
    imageMap,
    parts: [
      { name: "text-tfidf", items: textItems, weight: 1 - weight },
      { name: "image", items: withImage.length, weight },
    ],
  };
}

/** The chosen items' image vectors as SparseRows (every dimension stored), the form the ridge map takes. */
function denseRows(images: ImageFeatures, chosen: readonly number[]): SparseRows {
  const dim = images.dim;
  const offsets = Int32Array.from({ length: chosen.length + 1 }, (_, r) => r * dim);
  const indices = new Int32Array(chosen.length * dim);
  const values = new Float32Array(chosen.length * dim);
  chosen.forEach((i, r) => {
    for (let d = 0; d < dim; d++) {
      indices[r * dim + d] = d;
    }
    values.set(images.vectors.subarray(i * dim, (i + 1) * dim), r * dim);
  });
  return { rows: chosen.length, dim, offsets, indices, values };
}

import { selectRows } from "../linear/index.ts";
import {
  type ContentToFactors,
  fitContentToFactors,
  fitContentToFactorsTuned,
  predictFactors,
} from "./content-to-factors.ts";
import {
  type ContentPart,
  extractImageFeatures,
  fuseImageContent,
  type ImageFeatureOptions,
  type ImageFeatures,
} from "./images/index.ts";
import type { ItemContent, ItemFeatureExtractor } from "./item-content.ts";
import { aggregateReviewSentiment, type ItemSentiment, type TextScorer } from "./review-sentiment.ts";
import { encodeItemTexts, type TextEmbeddings, type TextEncoder } from "./text-encoder/index.ts";
import { contentTerms, fitTfidf, type TfidfModel, tfidfRows, topTerms } from "./tfidf.ts";

export const LAMBDA_GRID = [0.1, 0.3, 1, 3, 10] as const;

export interface EnrichmentOptions {
  items: readonly ItemContent[];
  /** reviews as parallel columns: the index (into `items`) of the reviewed item, and the text */
  reviews?: { item: Int32Array; texts: readonly string[] };
  /** the published sentiment model (TypeScript forward pass or an ORT session) */
  scoreSentiment?: TextScorer;
  /** the MF item table and, per item of `items`, its row in it (-1 for an item MF has not seen) */
  mf?: { itemFactors: Float32Array; factors: number; rowOfItem: Int32Array };
  keywordsPerItem?: number;
  /** most warm items the content→MF map is fitted on (its solve grows with the cube of this) */
  maxSupport?: number;
  /** ridge strength of the content→MF map; by default chosen among LAMBDA_GRID on held-out warm items */
  lambda?: number;
  /** image features for items with an `imageUrl` (fetched under the options' guard); absent: none */
  images?: ImageFeatureOptions;
  /** an ONNX text encoder (TEXT_ENCODER_*) whose embeddings of each item's text are computed; absent: none */
  textEncoder?: TextEncoder;
}

export interface ItemEnrichment {
  sentiment?: ItemSentiment;
  keywords: string[][];
  /** [items × contentDim] in the MF space; absent without an MF model to learn the map from */
  contentVectors?: Float32Array;
  contentDim: number;
  tfidf: TfidfModel;
  contentMap?: ContentToFactors;
  /** present when image features were asked for: per-item vectors and the run's image report */
  images?: ImageFeatures;
  /** what the content vectors were made of (text, and images when enough warm items had one) */
  contentParts?: ContentPart[];
  /** the image → MF map, when one was fitted */
  imageMap?: ContentToFactors;
  /** the text encoder's item embeddings (not mixed into contentVectors yet) */
  textEmbeddings?: TextEmbeddings;
}

/**
 * The origin's per-item enrichment: review sentiment (mean, count), TF-IDF keywords, and a content vector in
 * the MF space, learned from the items MF knows and applied to all (cold items get theirs from content
 * alone). With `images`, items with an image URL also get image descriptor vectors (images/).
 */
export async function enrichItems(options: EnrichmentOptions): Promise<ItemEnrichment> {
  const { items } = options;
  const documents = items.map((item) =>
    contentTerms([item.title ?? "", item.text ?? ""].join(". "), item.categories ?? []),
  );
  const tfidf = fitTfidf(documents, { minDf: 2, maxDfRatio: 0.5 });
  const rows = tfidfRows(tfidf, documents);
  const keywords = topTerms(tfidf, rows, options.keywordsPerItem ?? 5);

  const images = options.images ? await extractImageFeatures(items, options.images) : undefined;
  const textEmbeddings = options.textEncoder ? await encodeItemTexts(items, options.textEncoder) : undefined;
  const encoded = { ...(images ? { images } : {}), ...(textEmbeddings ? { textEmbeddings } : {}) };

  let sentiment: ItemSentiment | undefined;
  if (options.reviews && options.scoreSentiment) {
    sentiment = await aggregateReviewSentiment(
      items.length,
      options.reviews.item,
      options.reviews.texts,
      options.scoreSentiment,
    );
  }

  if (!options.mf) {
    return {
      ...(sentiment ? { sentiment } : {}),
      ...encoded,
      keywords,
      contentDim: 0,
      tfidf,
    };
  }
  const { itemFactors, factors, rowOfItem } = options.mf;
  const maxSupport = options.maxSupport ?? 2000;
  const warm: number[] = [];
  for (let i = 0; i < items.length && warm.length < maxSupport; i++) {
    if (rowOfItem[i]! >= 0 && rows.offsets[i + 1]! > rows.offsets[i]!) {
      warm.push(i);
    }
  }
  const targets = new Float32Array(warm.length * factors);
  warm.forEach((i, r) => {
    targets.set(itemFactors.subarray(rowOfItem[i]! * factors, (rowOfItem[i]! + 1) * factors), r * factors);
  });
  const supportRows = selectRows(rows, warm);
  const contentMap =
    options.lambda === undefined
      ? fitContentToFactorsTuned(supportRows, targets, factors, LAMBDA_GRID).map
      : fitContentToFactors(supportRows, targets, factors, options.lambda);
  const textVectors = predictFactors(contentMap, rows);
  const fused = images
    ? fuseImageContent({
        images,
        textVectors,
        hasText: Uint8Array.from({ length: items.length }, (_, i) =>
          rows.offsets[i + 1]! > rows.offsets[i]! ? 1 : 0,
        ),
        itemFactors,
        factors,
        rowOfItem,
        maxSupport,
        lambdas: LAMBDA_GRID,
      })
    : undefined;
  return {
    ...(sentiment ? { sentiment } : {}),
    ...encoded,
    ...(fused ? { contentParts: fused.parts } : {}),
    ...(fused?.imageMap ? { imageMap: fused.imageMap } : {}),
    keywords,
    contentVectors: fused?.contentVectors ?? textVectors,
    contentDim: factors,
    tfidf,
    contentMap,
  };
}

/** The text content vectors as an ItemFeatureExtractor, the seam image features will share. */
export function textContentExtractor(tfidf: TfidfModel, contentMap: ContentToFactors): ItemFeatureExtractor {
  return {
    name: "text-tfidf-to-mf",
    dim: contentMap.factors,
    async extract(items) {
      const documents = items.map((item) =>
        contentTerms([item.title ?? "", item.text ?? ""].join(". "), item.categories ?? []),
      );
      return predictFactors(contentMap, tfidfRows(tfidf, documents));
    },
  };
}

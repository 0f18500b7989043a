import { extractImageFeatures, type ImageFeatureOptions, type ImageFeatures } from "../images/index.ts";
import type { ItemContent } from "../item-content.ts";
import { encodeItemTexts, type TextEmbeddings, type TextEncoder } from "../text-encoder/index.ts";
import { computeContentVectors, type ItemContentVectors } from "./content-vectors.ts";

/** Where a run's optional content comes from: image features and a text encoder (origin configuration). */
export interface ContentSources {
  images?: ImageFeatureOptions;
  textEncoder?: TextEncoder;
}

export interface ItemContentResult {
  /** the run's image features and report, when images were asked for */
  images?: ImageFeatures;
  /** the text encoder's embeddings and counts, when one is configured */
  textEmbeddings?: TextEmbeddings;
  /** null when no item has any content part */
  vectors: ItemContentVectors | null;
}

/**
 * A run's content work: fetch and describe the items' images, encode their texts, then fuse every part
 * into the content vectors (computeContentVectors). A failing image or text batch is counted and skipped.
 */
export async function itemContentVectors(
  items: readonly ItemContent[],
  sources: ContentSources,
  rest: Omit<Parameters<typeof computeContentVectors>[0], "items" | "encoded">,
): Promise<ItemContentResult> {
  const images = sources.images ? await extractImageFeatures(items, sources.images) : undefined;
  const textEmbeddings = sources.textEncoder ? await encodeItemTexts(items, sources.textEncoder) : undefined;
  const encoded = { ...(images ? { images } : {}), ...(textEmbeddings ? { textEmbeddings } : {}) };
  return { ...encoded, vectors: computeContentVectors({ items, encoded, ...rest }) };
}

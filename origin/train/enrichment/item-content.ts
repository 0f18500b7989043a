/** What the origin knows about an item's content (the ItemRecord contract's fields that enrichment reads). */
export interface ItemContent {
  itemId: string;
  title?: string;
  text?: string;
  categories?: readonly string[];
  imageUrl?: string;
}

/**
 * The seam for content features: anything that turns items into fixed-width vectors. The text extractor
 * (TF-IDF over title, text and categories) is the first; the image extractor (images/image-features.ts:
 * descriptors of the picture at `imageUrl`, computed at the origin) is the second, and its vectors are
 * concatenated with or mapped like the text ones without changing the callers.
 */
export interface ItemFeatureExtractor {
  name: string;
  /** width of each item's vector */
  dim: number;
  /** [items.length × dim] row-major */
  extract(items: readonly ItemContent[]): Promise<Float32Array>;
}

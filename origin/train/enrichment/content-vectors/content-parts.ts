import type { ImageFeatures } from "../images/index.ts";
import type { ItemContent } from "../item-content.ts";
import type { TextEmbeddings } from "../text-encoder/index.ts";
import { contentTerms, fitTfidf, tfidfRows } from "../tfidf.ts";
import type { VectorBlock } from "./ridge-map.ts";
import { lsaVectors } from "./truncated-svd.ts";

/**
 * The parts a fused content vector can hold, in block order. All but `item2vec` exist before anyone
 * interacts with an item, so only they can place a new item (the cold-start map reads these).
 */
export const CONTENT_PART_NAMES = {
  categories: "categories",
  text: "text-tfidf",
  textEncoder: "text-encoder",
  imageDescriptors: "image-descriptors",
  imageEncoder: "image-encoder",
  item2vec: "item2vec",
} as const;

export interface ContentPartOptions {
  /** width of the categories' LSA block */
  categoryDim: number;
  /** width of the title and text words' LSA block */
  textDim: number;
  seed: number;
}

export const CONTENT_PART_DEFAULTS: ContentPartOptions = { categoryDim: 32, textDim: 64, seed: 1 };

/**
 * The content blocks of every item, each only when some item has it: categories and words as two TF-IDF
 * blocks reduced by LSA (measured apart because they differ in worth: on MovieLens the genres place a
 * new film far better than the title's words), the text encoder's embedding, and the image vector's
 * descriptor and encoder blocks.
 */
export function contentBlocks(
  items: readonly ItemContent[],
  encoded: { images?: ImageFeatures; textEmbeddings?: TextEmbeddings },
  options: Partial<ContentPartOptions> = {},
): VectorBlock[] {
  const o = { ...CONTENT_PART_DEFAULTS, ...options };
  const blocks: VectorBlock[] = [];
  const tfidfBlock = (name: string, documents: string[][], dim: number) => {
    const rows = tfidfRows(fitTfidf(documents, { minDf: 2, maxDfRatio: 0.5 }), documents);
    const lsa = lsaVectors(rows, { dim, seed: o.seed });
    if (lsa.dim > 0) {
      const present = Uint8Array.from({ length: items.length }, (_, i) =>
        rows.offsets[i + 1]! > rows.offsets[i]! ? 1 : 0,
      );
      blocks.push({ name, dim: lsa.dim, vectors: lsa.vectors, present });
    }
  };
  tfidfBlock(
    CONTENT_PART_NAMES.categories,
    items.map((item) => contentTerms("", item.categories ?? [])),
    o.categoryDim,
  );
  tfidfBlock(
    CONTENT_PART_NAMES.text,
    items.map((item) => contentTerms([item.title ?? "", item.text ?? ""].join(". "))),
    o.textDim,
  );
  const text = encoded.textEmbeddings;
  if (text && text.dim > 0 && text.encoded > 0) {
    blocks.push({
      name: CONTENT_PART_NAMES.textEncoder,
      dim: text.dim,
      vectors: text.vectors,
      present: presentRows(text.vectors, text.dim, items.length),
    });
  }
  const images = encoded.images;
  if (images && images.report.described > 0) {
    let offset = 0;
    images.parts.forEach((part, p) => {
      if (part.dim > 0) {
        const vectors = new Float32Array(items.length * part.dim);
        for (let i = 0; i < items.length; i++) {
          vectors.set(
            images.vectors.subarray(i * images.dim + offset, i * images.dim + offset + part.dim),
            i * part.dim,
          );
        }
        const name = p === 0 ? CONTENT_PART_NAMES.imageDescriptors : CONTENT_PART_NAMES.imageEncoder;
        blocks.push({ name, dim: part.dim, vectors, present: presentRows(vectors, part.dim, items.length) });
      }
      offset += part.dim;
    });
  }
  return blocks;
}

/** 1 for each row with a non-zero value. */
export function presentRows(vectors: Float32Array, dim: number, rows: number): Uint8Array {
  const present = new Uint8Array(rows);
  for (let i = 0; i < rows; i++) {
    for (let d = 0; d < dim; d++) {
      if (vectors[i * dim + d] !== 0) {
        present[i] = 1;
        break;
      }
    }
  }
  return present;
}

/**
 * A decoded item catalogue: typed-array views into the one buffer it was decoded from (see catalog-format.ts).
 * Nothing per item is built at load: ids are decoded when an answer names them and found through the hash
 * table stored in the file, so at the edge the buffer (in the kernel's memory) is the catalogue's only copy.
 */
import type { CatalogHeader } from "./catalog-format.ts";
import type { IvfIndex } from "./ivf-index.ts";

/** An int8 vector table with one float32 scale per row: row i ≈ values[i·dim .. (i+1)·dim] · scales[i]. */
export interface ItemVectors {
  model: string;
  version: string;
  dim: number;
  values: Int8Array;
  scales: Float32Array;
}

export interface Catalog {
  readonly header: CatalogHeader;
  /** Number of items; every per-item array below has this length (per row for vector tables). */
  readonly items: number;
  /** The whole encoded catalogue: the buffer every view below is a view of. */
  readonly bytes: Uint8Array;
  /** Item `index`'s id. */
  itemId(index: number): string;
  /** The item's index, or -1 when the catalogue does not hold it. */
  indexOf(itemId: string): number;
  /** The recommendation model's item embeddings (the table the edge scores users against), if any. */
  readonly embedding: ItemVectors | null;
  /** The fused content vectors, if published (similar items, content diversity). */
  readonly content: ItemVectors | null;
  /** The IVF index over `embedding`, or null when the catalogue is small enough to scan whole. */
  readonly index: IvfIndex | null;
  readonly popularity: Float32Array;
  readonly trending: Float32Array;
  /** Largest popularity and trending score, so scores normalise against the catalogue, not a request. */
  readonly maxPopularity: number;
  readonly maxTrending: number;
  /** Every item by popularity (trending), best first. */
  readonly popularOrder: Uint32Array;
  readonly trendingOrder: Uint32Array;
  readonly categoryNames: readonly string[];
  /** The category's id (position in categoryNames), or -1 when no item has it. */
  categoryId(name: string): number;
  /** CSR: item i's category ids are categoryIds[categoryOffsets[i] .. categoryOffsets[i + 1]]. */
  readonly categoryOffsets: Uint32Array;
  readonly categoryIds: Uint32Array;
  /** Inverse CSR: category c's items are categoryItems[categoryItemOffsets[c] .. categoryItemOffsets[c + 1]]. */
  readonly categoryItemOffsets: Uint32Array;
  readonly categoryItems: Uint32Array;
  /** NaN where unknown. */
  readonly price: Float32Array;
  /** Mean positive-review probability in [0, 1], NaN when sentimentCount is 0. */
  readonly sentimentMean: Float32Array;
  readonly sentimentCount: Uint32Array;
}

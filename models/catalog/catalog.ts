/**
 * A decoded item catalogue: typed-array views into the one buffer it was decoded from (see catalog-format.ts),
 * plus the two lookups that need hashing (item id → index, category name → id), built once per version.
 */
import type { CatalogHeader } from "./catalog-format.ts";

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
  readonly itemIds: readonly string[];
  /** The item's index, or -1 when the catalogue does not hold it. */
  indexOf(itemId: string): number;
  /** The recommendation model's item embeddings (the table the edge scores users against), if any. */
  readonly embedding: ItemVectors | null;
  /** Content vectors from item text, if published. */
  readonly content: ItemVectors | null;
  readonly popularity: Float32Array;
  readonly trending: Float32Array;
  /** Largest popularity and trending score, so scores normalise against the catalogue, not a request. */
  readonly maxPopularity: number;
  readonly maxTrending: number;
  readonly categoryNames: readonly string[];
  /** The category's id (position in categoryNames), or -1 when no item has it. */
  categoryId(name: string): number;
  /** CSR: item i's category ids are categoryIds[categoryOffsets[i] .. categoryOffsets[i + 1]]. */
  readonly categoryOffsets: Uint32Array;
  readonly categoryIds: Uint32Array;
  /** NaN where unknown. */
  readonly price: Float32Array;
  /** Mean positive-review probability in [0, 1], NaN when sentimentCount is 0. */
  readonly sentimentMean: Float32Array;
  readonly sentimentCount: Uint32Array;
}

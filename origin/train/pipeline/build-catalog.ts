/**
 * The item catalogue the edge serves from: every known item, with cold-start scores, categories, price,
 * review sentiment and two vector tables. The content table holds the fused content vectors
 * (origin/train/enrichment/content-vectors/). The embedding table is the recommender's item factors,
 * except for items it never saw: their factor rows are only the regulariser's near-zero answer, so they
 * get the content's cold-start row instead (content mapped into the factor space, with the popularity
 * content predicts), which lets a new item reach the users whose taste it fits.
 */
import type { CatalogInput } from "../../../models/catalog/index.ts";
import type { ItemRow } from "../../ingest/index.ts";
import type { ItemContentVectors, ItemSentiment } from "../enrichment/index.ts";
import type { CsrMatrix, MfModel } from "../recs/index.ts";

/** Model names of the catalogue's vector tables; the user embeddings carry the same name and version. */
export const RECS_EMBEDDING_MODEL = "recs-mf";
export const CONTENT_VECTORS_MODEL = "content-fused";

export interface CatalogParts {
  version: string;
  createdAt: string;
  items: readonly ItemRow[];
  matrix: CsrMatrix;
  popularity: Float32Array;
  trending: Float32Array;
  mf: MfModel | null;
  sentiment: ItemSentiment | null;
  content: ItemContentVectors | null;
}

export function buildCatalogInput(parts: CatalogParts): CatalogInput {
  const { items, mf, content, version } = parts;
  const input: CatalogInput = {
    version,
    createdAt: parts.createdAt,
    itemIds: items.map((item) => item.itemId),
    popularity: parts.popularity,
    trending: parts.trending,
    categories: items.map((item) => item.categories),
    price: Float32Array.from(items, (item) => item.price ?? Number.NaN),
  };
  if (parts.sentiment) {
    input.sentiment = { mean: parts.sentiment.mean, count: parts.sentiment.count };
  }
  if (content) {
    input.content = { model: CONTENT_VECTORS_MODEL, version, dim: content.dim, vectors: content.vectors };
  }
  if (mf) {
    const vectors = mf.itemFactors.slice();
    const f = mf.factors;
    const cold = content?.cold;
    if (cold) {
      cold.items.forEach((item, r) => {
        vectors.set(cold.vectors.subarray(r * f, (r + 1) * f), item * f);
      });
    }
    input.embedding = { model: RECS_EMBEDDING_MODEL, version, dim: f, vectors };
    // The catalogue's IVF index measures its probe budget on the users the edge will score.
    input.index = { queries: mf.userFactors };
  }
  return input;
}

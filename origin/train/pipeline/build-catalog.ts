/**
 * The item catalogue the edge serves from: every known item, with cold-start scores, categories, price,
 * review sentiment and two vector tables. The embedding table is the MF item factors, except for items MF
 * never saw: their factor rows are only the regulariser's near-zero answer, so they get their content
 * vector instead (text mapped into the MF space), which lets a new item reach the users whose taste it fits.
 */
import type { CatalogInput } from "../../../models/catalog/index.ts";
import type { ItemRow } from "../../ingest/index.ts";
import type { ItemEnrichment } from "../enrichment/index.ts";
import { type CsrMatrix, columnCounts, type MfModel } from "../recs/index.ts";

/** Model names of the catalogue's vector tables; the user embeddings carry the same name and version. */
export const RECS_EMBEDDING_MODEL = "recs-mf";
export const CONTENT_VECTORS_MODEL = "recs-content";

export interface CatalogParts {
  version: string;
  createdAt: string;
  items: readonly ItemRow[];
  matrix: CsrMatrix;
  popularity: Float32Array;
  trending: Float32Array;
  mf: MfModel | null;
  enrichment: ItemEnrichment | null;
}

export function buildCatalogInput(parts: CatalogParts): CatalogInput {
  const { items, mf, enrichment, version } = parts;
  const content = enrichment?.contentVectors;
  const input: CatalogInput = {
    version,
    createdAt: parts.createdAt,
    itemIds: items.map((item) => item.itemId),
    popularity: parts.popularity,
    trending: parts.trending,
    categories: items.map((item) => item.categories),
    price: Float32Array.from(items, (item) => item.price ?? Number.NaN),
  };
  if (enrichment?.sentiment) {
    input.sentiment = { mean: enrichment.sentiment.mean, count: enrichment.sentiment.count };
  }
  if (content && enrichment.contentDim > 0) {
    input.content = { model: CONTENT_VECTORS_MODEL, version, dim: enrichment.contentDim, vectors: content };
  }
  if (mf) {
    const vectors = mf.itemFactors.slice();
    const f = mf.factors;
    if (content && enrichment.contentDim === f) {
      const interactions = columnCounts(parts.matrix);
      for (let i = 0; i < items.length; i++) {
        if (interactions[i] === 0) {
          vectors.set(content.subarray(i * f, (i + 1) * f), i * f);
        }
      }
    }
    input.embedding = { model: RECS_EMBEDDING_MODEL, version, dim: f, vectors };
  }
  return input;
}

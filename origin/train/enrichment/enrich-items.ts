import type { ItemContent } from "./item-content.ts";
import { aggregateReviewSentiment, type ItemSentiment, type TextScorer } from "./review-sentiment.ts";
import { contentTerms, fitTfidf, type TfidfModel, tfidfRows, topTerms } from "./tfidf.ts";

export interface EnrichmentOptions {
  items: readonly ItemContent[];
  /** reviews as parallel columns: the index (into `items`) of the reviewed item, and the text */
  reviews?: { item: Int32Array; texts: readonly string[] };
  /** the published sentiment model (TypeScript forward pass or an ORT session) */
  scoreSentiment?: TextScorer;
  keywordsPerItem?: number;
}

export interface ItemEnrichment {
  sentiment?: ItemSentiment;
  keywords: string[][];
  tfidf: TfidfModel;
}

/**
 * The origin's per-item text enrichment: review sentiment (mean, count) from the sentiment model, and
 * TF-IDF keywords. The content vectors are content-vectors/'s.
 */
export async function enrichItems(options: EnrichmentOptions): Promise<ItemEnrichment> {
  const { items } = options;
  const documents = items.map((item) =>
    contentTerms([item.title ?? "", item.text ?? ""].join(". "), item.categories ?? []),
  );
  const tfidf = fitTfidf(documents, { minDf: 2, maxDfRatio: 0.5 });
  const keywords = topTerms(tfidf, tfidfRows(tfidf, documents), options.keywordsPerItem ?? 5);
  const sentiment =
    options.reviews && options.scoreSentiment
      ? await aggregateReviewSentiment(
          items.length,
          options.reviews.item,
          options.reviews.texts,
          options.scoreSentiment,
        )
      : undefined;
  return { ...(sentiment ? { sentiment } : {}), keywords, tfidf };
}

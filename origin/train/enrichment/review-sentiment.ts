/**
 * Per-item review sentiment: the mean P(positive) of the item's reviews and their count. The scorer is
 * injected (the TypeScript forward pass or an onnxruntime session of the published model), so enrichment
 * uses exactly the model the edge serves.
 */
export type TextScorer = (texts: readonly string[]) => Promise<Float32Array> | Float32Array;

export interface ItemSentiment {
  /** mean P(positive) per item; NaN for items without reviews */
  mean: Float32Array;
  count: Int32Array;
}

export async function aggregateReviewSentiment(
  items: number,
  reviewItem: Int32Array,
  reviewTexts: readonly string[],
  score: TextScorer,
  batchSize = 512,
): Promise<ItemSentiment> {
  if (reviewItem.length !== reviewTexts.length) {
    throw new Error(`aggregateReviewSentiment: ${reviewItem.length} items but ${reviewTexts.length} texts`);
  }
  const sum = new Float64Array(items);
  const count = new Int32Array(items);
  for (let from = 0; from < reviewTexts.length; from += batchSize) {
    const to = Math.min(reviewTexts.length, from + batchSize);
    const p = await score(reviewTexts.slice(from, to));
    for (let t = from; t < to; t++) {
      sum[reviewItem[t]!]! += p[t - from]!;
      count[reviewItem[t]!]!++;
    }
  }
  const mean = Float32Array.from(sum, (s, i) => (count[i]! > 0 ? s / count[i]! : Number.NaN));
  return { mean, count };
}

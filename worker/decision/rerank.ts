/**
 * Re-ranking: one relevance per candidate, a weighted sum of terms that each live in a fixed range, so the
 * surface's weights compare directly.
 *
 *   relevance(i) = w_model·c(i) + w_popularity·p(i) + w_sentiment·e(i)
 *
 *   c(i) = (s(i) − min s) / (max s − min s): the generator's raw score s (the MF dot product, or popularity or
 *          trending for cold start) min-max normalised over the pool, because MF scores have no absolute
 *          scale; 1 when all tie; 0 for fallback items, which no generator ranked.
 *   p(i) = ln(1 + pop(i)) / ln(1 + max pop): popularity against the catalogue's most popular item, on a log
 *          scale because popularity is heavy-tailed (linear would put all but the head near 0).
 *   e(i) = n(i) / (n(i) + n₀) · (2·m(i) − 1): mean review sentiment m in [0, 1] mapped to [-1, 1] and shrunk
 *          towards neutral by n₀ pseudo-reviews (surface.sentimentPriorReviews), so one glowing review counts
 *          for less than fifty good ones. Items without reviews get 0.
 *
 * Each term's value and weighted contribution are kept (row-major, TERM_COUNT per candidate) for `explain`.
 *
 * There is no behaviour term: the behaviour model the origin trains gives one probability per user (will
 * this user buy, churn), which would shift every candidate's score alike and reorder nothing, at the cost
 * of a model call per request. A model that scores (user, item) pairs would earn a term here.
 */
import type { Catalog } from "../../models/catalog/index.ts";
import type { RerankWeights } from "../../models/contracts/index.ts";
import type { CandidatePool } from "./candidate-pool.ts";

export const TERMS = ["candidate", "popularity", "sentiment"] as const;
export const TERM_COUNT = TERMS.length;

export interface Relevance {
  relevance: Float64Array;
  /** values[c · TERM_COUNT + t]: term t's input for candidate c. */
  values: Float64Array;
  /** contributions[c · TERM_COUNT + t] = weight_t · values[c · TERM_COUNT + t]. */
  contributions: Float64Array;
}

export function scoreRelevance(
  pool: CandidatePool,
  catalog: Catalog,
  weights: RerankWeights,
  sentimentPriorReviews: number,
): Relevance {
  const count = pool.count;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (let c = 0; c < count; c++) {
    const s = pool.sourceScores[c]!;
    if (!Number.isNaN(s)) {
      min = Math.min(min, s);
      max = Math.max(max, s);
    }
  }
  const range = max - min;
  const logMaxPopularity = Math.log1p(catalog.maxPopularity);
  const w = [weights.model, weights.popularity, weights.sentiment];

  const relevance = new Float64Array(count);
  const values = new Float64Array(count * TERM_COUNT);
  const contributions = new Float64Array(count * TERM_COUNT);
  for (let c = 0; c < count; c++) {
    const item = pool.items[c]!;
    const s = pool.sourceScores[c]!;
    const reviews = catalog.sentimentCount[item]!;
    const at = c * TERM_COUNT;
    values[at] = Number.isNaN(s) ? 0 : range > 0 ? (s - min) / range : 1;
    values[at + 1] = logMaxPopularity > 0 ? Math.log1p(catalog.popularity[item]!) / logMaxPopularity : 0;
    values[at + 2] =
      reviews === 0
        ? 0
        : (reviews / (reviews + sentimentPriorReviews)) * (2 * catalog.sentimentMean[item]! - 1);
    let sum = 0;
    for (let t = 0; t < TERM_COUNT; t++) {
      const contribution = w[t]! * values[at + t]!;
      contributions[at + t] = contribution;
      sum += contribution;
    }
    relevance[c] = sum;
  }
  return { relevance, values, contributions };
}

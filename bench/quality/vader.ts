/**
 * VADER (Hutto & Gilbert 2014), the rule-based sentiment scorer, from the `vader-sentiment` npm package
 * (Apache-2.0, a devDependency: only the benchmark uses it). Its compound score lies in [−1, 1].
 */
import { createRequire } from "node:module";

interface Vader {
  SentimentIntensityAnalyzer: { polarity_scores(text: string): { compound: number } };
}

const vader = createRequire(import.meta.url)("vader-sentiment") as Vader;

export function vaderScores(texts: readonly string[]): Float32Array {
  return Float32Array.from(texts, (text) => vader.SentimentIntensityAnalyzer.polarity_scores(text).compound);
}

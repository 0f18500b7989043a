import { lexiconComparative, scoreLexicon, tokenize } from "../../../models/text/index.ts";

/**
 * The baseline a trained sentiment model must beat: AFINN net valence per word (negation-aware), positive
 * when it reaches a threshold. The threshold is the one parameter, fitted on the training texts (best
 * accuracy), since "5 stars or not" sits higher than plain polarity. `fitThreshold` does the same for any
 * rule-based score (bench:quality fits VADER's compound score with it).
 */
export interface LexiconBaseline {
  threshold: number;
}

export function lexiconScores(texts: readonly string[]): Float32Array {
  return Float32Array.from(texts, (text) => lexiconComparative(scoreLexicon(tokenize(text))));
}

/** The threshold on `scores` that classifies the training labels best (score ≥ threshold → 1). */
export function fitThreshold(scores: Float32Array, labels: ArrayLike<number>): LexiconBaseline {
  const order = Array.from(scores.keys()).sort((a, b) => scores[a]! - scores[b]!);
  // Sweep thresholds between consecutive distinct scores; start with "everything positive".
  let positivesAbove = 0;
  for (let i = 0; i < labels.length; i++) {
    positivesAbove += labels[i]!;
  }
  let negativesBelow = 0;
  let bestCorrect = positivesAbove;
  let threshold = scores.length === 0 ? 0 : scores[order[0]!]!;
  for (let t = 0; t < order.length; t++) {
    const r = order[t]!;
    if (labels[r] === 1) {
      positivesAbove--;
    } else {
      negativesBelow++;
    }
    const next = order[t + 1];
    if (next !== undefined && scores[next] === scores[r]) {
      continue;
    }
    const correct = positivesAbove + negativesBelow;
    if (correct > bestCorrect) {
      bestCorrect = correct;
      threshold = next === undefined ? Number.POSITIVE_INFINITY : (scores[r]! + scores[next]!) / 2;
    }
  }
  return { threshold };
}

export function fitLexiconBaseline(texts: readonly string[], labels: ArrayLike<number>): LexiconBaseline {
  return fitThreshold(lexiconScores(texts), labels);
}

/** Hard 0/1 predictions of `scores` at the threshold (as probabilities for the shared metrics). */
export function thresholdPredictions(baseline: LexiconBaseline, scores: Float32Array): Float32Array {
  return Float32Array.from(scores, (s) => (s >= baseline.threshold ? 1 : 0));
}

/** Hard 0/1 predictions (as probabilities for the shared metrics) and the raw scores for ROC-AUC. */
export function predictLexiconBaseline(
  baseline: LexiconBaseline,
  texts: readonly string[],
): { scores: Float32Array; predictions: Float32Array } {
  const scores = lexiconScores(texts);
  return { scores, predictions: thresholdPredictions(baseline, scores) };
}

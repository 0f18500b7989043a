/**
 * The one tokenizer both the origin's trainers and the edge use, so a word means the same bucket on both
 * sides. Pure string code (no Node or Worker APIs).
 *
 * Steps: NFKC; HTML tags and the common entities removed (review text carries `<br />`); curly apostrophes
 * straightened; tokens are, in this order of preference, emoticons (`:)`, `:-(`, `;D`, `<3`), pictographic
 * emoji, runs of letters/digits (with inner apostrophes), or one clause punctuation mark (. ! ? ; : ,),
 * which the negation scope stops at. Tokens are lower-cased; a word written in capitals (two letters or
 * more) is flagged as shouted. "n't" is split off as "not" (so "don't" → "do", "not"), as the Penn
 * Treebank tokenizer does, so every negation reads the same.
 */

// An emoticon: eyes, an optional nose, a mouth, and no letter, digit or slash right after (so "http://"
// and "x:/y" are not faces).
const EMOTICON = String.raw`[:;=][\-o^']?[)(\]\[dDpP/\\|*3]+(?![\p{L}\p{N}/])|<3+`;
const TOKEN = new RegExp(
  `${EMOTICON}|\\p{Extended_Pictographic}|[\\p{L}\\p{N}]+(?:'[\\p{L}\\p{N}]+)*|[.!?;:,]`,
  "gu",
);
const HTML_TAG = /<[^>]{0,200}>/g;
const ENTITIES: Readonly<Record<string, string>> = {
  "&amp;": "&",
  "&quot;": '"',
  "&#39;": "'",
  "&apos;": "'",
  "&lt;": "<",
  "&gt;": ">",
  "&nbsp;": " ",
};

/** NFKC, tags and entities removed, apostrophes straightened; case kept (it marks shouting). */
export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .replace(HTML_TAG, " ")
    .replace(/&(?:amp|quot|#39|apos|lt|gt|nbsp);/g, (entity) => ENTITIES[entity] ?? " ")
    .replace(/[\u2018\u2019\u02bc`]/g, "'");
}

export interface Tokens {
  /** Lower-cased tokens. */
  tokens: string[];
  /** 1 where the word was written in capitals ("LOVE"); emoticons and punctuation are never shouted. */
  shouted: Uint8Array;
}

const LETTER = /\p{L}/u;

/** Capitals: two letters or more, all upper case ("LOVE", "DON'T"), the first a letter. */
function isShouted(raw: string, lower: string): boolean {
  return raw.length > 1 && raw !== lower && raw === raw.toUpperCase() && LETTER.test(raw[0]!);
}

export function tokenizeText(text: string): Tokens {
  const tokens: string[] = [];
  // Positions of shouted tokens: few or none, so a list beats a mask grown as tokens arrive.
  const loud: number[] = [];
  for (const match of normalizeText(text).matchAll(TOKEN)) {
    const raw = match[0];
    const lower = raw.toLowerCase();
    const caps = raw !== lower && isShouted(raw, lower);
    if (caps) {
      loud.push(tokens.length);
    }
    if (lower.length > 3 && lower.endsWith("n't")) {
      if (caps) {
        loud.push(tokens.length + 1);
      }
      tokens.push(lower.slice(0, -3), "not");
    } else {
      tokens.push(lower);
    }
  }
  const shouted = new Uint8Array(tokens.length);
  for (const at of loud) {
    shouted[at] = 1;
  }
  return { tokens, shouted };
}

export function tokenize(text: string): string[] {
  return tokenizeText(text).tokens;
}

export function isPunctuation(token: string): boolean {
  return token.length === 1 && ".!?;:,".includes(token);
}

/** Words that flip the meaning of what follows them in the clause. */
export const NEGATORS: ReadonlySet<string> = new Set([
  "not",
  "no",
  "never",
  "nothing",
  "nobody",
  "none",
  "neither",
  "nor",
  "cannot",
  "without",
  "hardly",
  "barely",
]);

/** How many words after a negator its scope covers (it also ends at clause punctuation). */
export const NEGATION_SCOPE_WORDS = 3;

/**
 * For each token, whether it lies in a negation scope: the NEGATION_SCOPE_WORDS words after a negator,
 * cut short by punctuation (Das & Chen 2001's marking, used for features and by the lexicon scorer).
 */
export function negationMask(tokens: readonly string[]): Uint8Array {
  const mask = new Uint8Array(tokens.length);
  let remaining = 0;
  for (let t = 0; t < tokens.length; t++) {
    const token = tokens[t]!;
    if (isPunctuation(token)) {
      remaining = 0;
    } else if (NEGATORS.has(token)) {
      remaining = NEGATION_SCOPE_WORDS;
    } else if (remaining > 0) {
      mask[t] = 1;
      remaining--;
    }
  }
  return mask;
}

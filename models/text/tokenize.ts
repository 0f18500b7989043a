/**
 * The one tokenizer both the origin's trainers and the edge use, so a word means the same bucket on both
 * sides. Pure string code (no Node or Worker APIs).
 *
 * Steps: NFKC + lower case; HTML tags and the common entities removed (review text carries `<br />`);
 * curly apostrophes straightened; tokens are runs of letters/digits (with inner apostrophes) or one clause
 * punctuation mark (. ! ? ; : ,), which the negation scope stops at. "n't" is split off as "not" (so "don't"
 * → "do", "not"), as the Penn Treebank tokenizer does, so every negation reads the same.
 */

const TOKEN = /[\p{L}\p{N}]+(?:'[\p{L}\p{N}]+)*|[.!?;:,]/gu;
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

export function normalizeText(text: string): string {
  return text
    .normalize("NFKC")
    .toLowerCase()
    .replace(HTML_TAG, " ")
    .replace(/&(?:amp|quot|#39|apos|lt|gt|nbsp);/g, (entity) => ENTITIES[entity] ?? " ")
    .replace(/[\u2018\u2019\u02bc`]/g, "'");
}

export function tokenize(text: string): string[] {
  const out: string[] = [];
  for (const match of normalizeText(text).matchAll(TOKEN)) {
    const token = match[0];
    if (token.endsWith("n't") && token.length > 3) {
      out.push(token.slice(0, -3), "not");
    } else {
      out.push(token);
    }
  }
  return out;
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

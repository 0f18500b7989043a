/**
 * Texts whose features both runtimes compute: emoticons and emoji, capitals, negation and contrast,
 * accents and other scripts, HTML, an empty text and a long review, under the default spec and one with
 * word trigrams and character n-grams. Values are sent as float32 bit patterns so the comparison is exact.
 */
import { DEFAULT_TEXT_FEATURES, extractTextFeatures, tokenizeText } from "../../../../models/text/index.ts";

export const PARITY_TEXTS: readonly string[] = [
  "I LOVE this tea :) but the box was crushed :-(",
  "Not bad at all, really tasty!!! 😍👍",
  "Café crème brûlée — naïve, ÜBER gut; ne fonctionne pas",
  "It wasn't good. HOWEVER, the staff were incredibly kind <3",
  "日本語のテキストと emoji ❤️ and http://example.com/path :/",
  "<br />&amp; &quot;quoted&quot; text &#39;here&#39;",
  "",
  "Great snack. ".repeat(300),
];

const SPECS = [
  DEFAULT_TEXT_FEATURES,
  { ...DEFAULT_TEXT_FEATURES, hashBits: 12, wordNgrams: 3, charNgramMin: 2, charNgramMax: 5 },
];

export function textParityCases() {
  return SPECS.map((spec) =>
    PARITY_TEXTS.map((text) => {
      const features = extractTextFeatures(text, spec);
      return {
        tokens: tokenizeText(text).tokens,
        indices: Array.from(features.indices),
        bits: Array.from(
          new Uint32Array(features.values.buffer, features.values.byteOffset, features.values.length),
        ),
      };
    }),
  );
}

/**
 * The sentiment section's cross-domain sets, built from data at hand:
 * - Fine-foods by topic. Every review of the fine-foods files has its own product id, so products cannot
 *   be grouped by id; a review is put in a topic by the words it uses: `pet` (dog, cat, puppy, kitten,
 *   pet, vet, treats…), `drinks` (coffee, tea, espresso, K-cup, brew, drink, juice, soda, latte, cocoa,
 *   water…), both (left out), or neither (`food`: snacks, sauces, sweets…). The model trains on the
 *   `food` reviews of train.csv and test.csv and is tested on the `drinks` and the `pet` ones, whose
 *   vocabulary it never saw.
 * - Short sentences from another product domain: the 1,000 Amazon phone-review sentences (500 positive,
 *   500 negative) of the UCI "Sentiment Labelled Sentences" set (Kotzias et al. 2015), as the MIT-licensed
 *   `wink-sentiment` npm package ships them in its tests (a devDependency, pinned, read in place).
 */
import { readFile } from "node:fs/promises";
import { createRequire } from "node:module";
import path from "node:path";
import type { LabelledTextSet } from "../../origin/train/sentiment/index.ts";

const TOPICS = {
  pet: /\b(?:dogs?|cats?|pupp(?:y|ies)|kitt(?:en|ens|y)|pets?|vet|canine|feline|treats?)\b/,
  drinks:
    /\b(?:coffee|tea|teas|espresso|k-?cups?|brew|brewed|drink|drinks|juice|soda|latte|cocoa|beverage|water)\b/,
} as const;

export type FineFoodTopic = keyof typeof TOPICS | "food" | "mixed";

export function fineFoodTopic(review: string): FineFoodTopic {
  const text = review.toLowerCase();
  const matched = (Object.keys(TOPICS) as (keyof typeof TOPICS)[]).filter((topic) =>
    TOPICS[topic].test(text),
  );
  return matched.length === 0 ? "food" : matched.length === 1 ? matched[0]! : "mixed";
}

/** The texts of `sets` whose topic is `topic`, pooled. */
export function byTopic(sets: readonly LabelledTextSet[], topic: FineFoodTopic): LabelledTextSet {
  const texts: string[] = [];
  const labels: number[] = [];
  for (const set of sets) {
    set.texts.forEach((text, i) => {
      if (fineFoodTopic(text) === topic) {
        texts.push(text);
        labels.push(set.labels[i]!);
      }
    });
  }
  return { texts, labels: Uint8Array.from(labels) };
}

export async function phoneReviewSentences(): Promise<LabelledTextSet> {
  const dir = path.dirname(createRequire(import.meta.url).resolve("wink-sentiment/package.json"));
  const file = path.join(dir, "test", "data", "amazon_cells_labelled.txt");
  const lines = (await readFile(file, "utf8")).split("\n").filter((line) => line.includes("\t"));
  const texts = lines.map((line) => line.slice(0, line.lastIndexOf("\t")));
  const labels = Uint8Array.from(lines, (line) => Number(line.slice(line.lastIndexOf("\t") + 1)));
  if (texts.length !== 1000 || labels.some((label) => label > 1)) {
    throw new Error(`${file}: expected 1,000 sentences labelled 0 or 1, got ${texts.length}`);
  }
  return { texts, labels };
}

import { mulberry32 } from "../../../../models/random.ts";

/**
 * A small review corpus generated from templates written for these tests (no external data): positive and
 * negative sentences about everyday products, including negated positives ("not great at all") that only a
 * negation-aware model labels right.
 */
const THINGS = ["coffee", "snack", "tea", "cereal", "phone", "book", "chair", "sauce", "blender", "jacket"];
const GOOD = ["great", "excellent", "delicious", "perfect", "amazing", "fantastic", "tasty", "lovely"];
const BAD = ["awful", "horrible", "disgusting", "stale", "bland", "broken", "useless", "poor"];
const LIKE = ["love", "enjoy", "adore"];
const DISLIKE = ["hate", "regret buying", "dislike"];

const POSITIVE = [
  (t: string, g: string, l: string) => `I ${l} this ${t}, it is ${g}.`,
  (t: string, g: string) => `The ${t} is ${g}! Would buy again.`,
  (t: string, g: string) => `Really ${g} ${t}. My family ${LIKE[0]}s it.`,
  (t: string, g: string) => `${g} quality and fast delivery, the ${t} works as promised.`,
  (t: string, _g: string, l: string) => `We ${l} it. Best ${t} I have had.`,
];
const NEGATIVE = [
  (t: string, b: string, d: string) => `I ${d} this ${t}, it is ${b}.`,
  (t: string, b: string) => `The ${t} is ${b}. Waste of money.`,
  (t: string, _b: string, _d: string, g: string) => `This ${t} is not ${g} at all, returned it.`,
  (t: string, b: string) => `${b} ${t}, it arrived late and I would not recommend it.`,
  (t: string, _b: string, d: string) => `Do not buy. I ${d} it and the ${t} is the worst.`,
];

export function reviewCorpus(size: number, seed: number): { texts: string[]; labels: Uint8Array } {
  const rng = mulberry32(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rng() * list.length)]!;
  const texts: string[] = [];
  const labels = new Uint8Array(size);
  for (let i = 0; i < size; i++) {
    const positive = rng() < 0.5;
    const thing = pick(THINGS);
    if (positive) {
      texts.push(pick(POSITIVE)(thing, pick(GOOD), pick(LIKE)));
      labels[i] = 1;
    } else {
      texts.push(pick(NEGATIVE)(thing, pick(BAD), pick(DISLIKE), pick(GOOD)));
    }
  }
  return { texts, labels };
}

/**
 * Review texts for generated data: short sentences whose wording follows the rating, with some noise
 * (mixed phrases, neutral filler), so a sentiment model has something real to learn and cannot be
 * perfect from one word.
 */
import type { Rng } from "../../../models/random.ts";

const POSITIVE = [
  "love it",
  "works perfectly",
  "great quality for the price",
  "exactly what I wanted",
  "would buy again",
  "excellent, fast delivery",
  "my favourite purchase this year",
  "really well made",
  "highly recommended",
  "fantastic value",
];

const NEGATIVE = [
  "broke after a week",
  "very disappointed",
  "cheap and flimsy",
  "not as described",
  "waste of money",
  "stopped working quickly",
  "poor quality, returned it",
  "awful experience",
  "would not recommend",
  "arrived damaged",
];

const NEUTRAL = ["bought it for my sister", "the box was blue", "delivery took four days", "it is a", "ok"];

const pick = (rng: Rng, values: readonly string[]) => values[Math.floor(rng() * values.length)]!;

/** A review for a rating on a 1–5 scale: mostly positive phrases from 4 up, negative ones from 2 down. */
export function reviewText(rng: Rng, rating: number, subject: string): string {
  const positive = rating >= 4 ? 0.85 : rating <= 2 ? 0.15 : 0.5;
  const phrases = [`${subject}:`];
  const count = 1 + Math.floor(rng() * 3);
  for (let p = 0; p < count; p++) {
    phrases.push(pick(rng, rng() < positive ? POSITIVE : NEGATIVE));
  }
  if (rng() < 0.4) {
    phrases.push(pick(rng, NEUTRAL));
  }
  return `${phrases.join(" ")}.`;
}

/**
 * A small shop whose structure is known: items in categories and styles, each category with a centre in
 * an 8-wide factor space and a popularity, each style a smaller offset; users who each favour one
 * category and one style. Item factors are the category centre (scaled by its popularity) plus the
 * style's offset and noise, user factors their category's centre plus their style's offset: what a
 * recommender would learn from these interactions, without training one. The last `coldPerCategory`
 * items of each category have no interaction. Titles hold a category word, a style word and filler
 * words when `informativeTitles`, only filler otherwise.
 */

import { mulberry32, randomNormalArray } from "../../../../../models/random.ts";
import type { ItemContent } from "../../../../../origin/train/enrichment/index.ts";
import { buildCsr, type CsrMatrix } from "../../../../../origin/train/recs/index.ts";

export const CATEGORY_NAMES = ["garden", "kitchen", "books", "music", "toys", "sport"] as const;
const CATEGORY_WORDS = ["hose", "pan", "novel", "vinyl", "puzzle", "racket"] as const;
export const STYLE_WORDS = ["classic", "modern", "retro"] as const;
const FILLER = ["deluxe", "compact", "premium", "basic", "pro", "mini", "max", "eco", "plus", "lite"];

export interface SyntheticShop {
  items: ItemContent[];
  category: Int32Array;
  style: Int32Array;
  cold: Int32Array;
  centres: Float32Array[];
  factors: number;
  mf: { itemFactors: Float32Array; userFactors: Float32Array; factors: number };
  interactions: CsrMatrix;
  /** each interaction as an event in time order per user: items of the user's category in sequence */
  events: { users: number; user: Int32Array; item: Int32Array; time: Float64Array };
}

export function syntheticShop(
  options: {
    perCategory?: number;
    coldPerCategory?: number;
    users?: number;
    informativeTitles?: boolean;
    seed?: number;
  } = {},
): SyntheticShop {
  const perCategory = options.perCategory ?? 30;
  const coldPerCategory = options.coldPerCategory ?? 5;
  const userCount = options.users ?? 120;
  const rng = mulberry32(options.seed ?? 5);
  const f = 8;
  const centres = CATEGORY_NAMES.map(() => randomNormalArray(rng, f, 1));
  const styles = STYLE_WORDS.map(() => randomNormalArray(rng, f, 0.5));
  // popularity 3 … 1 by category: garden most wanted, sport least
  const popularity = CATEGORY_NAMES.map((_, c) => 3 - (2 * c) / (CATEGORY_NAMES.length - 1));
  const items: ItemContent[] = [];
  const category: number[] = [];
  const style: number[] = [];
  const cold: number[] = [];
  const itemFactors = new Float32Array(CATEGORY_NAMES.length * perCategory * f);
  CATEGORY_NAMES.forEach((name, c) => {
    for (let k = 0; k < perCategory; k++) {
      const i = items.length;
      const st = k % STYLE_WORDS.length;
      const filler = `${FILLER[Math.floor(rng() * FILLER.length)]} ${FILLER[Math.floor(rng() * FILLER.length)]}`;
      items.push({
        itemId: `${name}-${k}`,
        title:
          options.informativeTitles === false ? filler : `${CATEGORY_WORDS[c]} ${STYLE_WORDS[st]} ${filler}`,
        categories: [name],
      });
      category.push(c);
      style.push(st);
      if (k >= perCategory - coldPerCategory) {
        cold.push(i);
      }
      const noise = randomNormalArray(rng, f, 0.05);
      for (let a = 0; a < f; a++) {
        itemFactors[i * f + a] = (centres[c]![a]! * popularity[c]!) / 3 + styles[st]![a]! + noise[a]!;
      }
    }
  });
  const userFactors = new Float32Array(userCount * f);
  const user: number[] = [];
  const item: number[] = [];
  const time: number[] = [];
  for (let u = 0; u < userCount; u++) {
    const c = u % CATEGORY_NAMES.length;
    const st = Math.floor(u / CATEGORY_NAMES.length) % STYLE_WORDS.length;
    for (let a = 0; a < f; a++) {
      userFactors[u * f + a] = centres[c]![a]! + styles[st]![a]!;
    }
    const warm = Array.from({ length: perCategory - coldPerCategory }, (_, k) => c * perCategory + k).filter(
      (i) => style[i] === st,
    );
    const picks = 4 + Math.round(popularity[c]! * 2);
    for (let p = 0; p < picks; p++) {
      user.push(u);
      item.push(warm[Math.floor(rng() * warm.length)]!);
      time.push(1_700_000_000_000 + u * 1_000_000 + p * 1000);
    }
  }
  const interactions = buildCsr({
    users: userCount,
    items: items.length,
    user: Int32Array.from(user),
    item: Int32Array.from(item),
  });
  return {
    items,
    category: Int32Array.from(category),
    style: Int32Array.from(style),
    cold: Int32Array.from(cold),
    centres,
    factors: f,
    mf: { itemFactors, userFactors, factors: f },
    interactions,
    events: {
      users: userCount,
      user: Int32Array.from(user),
      item: Int32Array.from(item),
      time: Float64Array.from(time),
    },
  };
}

/** The category whose centre is most similar (cosine) to `vector`. */
export function nearestCategory(vector: ArrayLike<number>, centres: readonly Float32Array[]): number {
  let best = 0;
  let bestCosine = Number.NEGATIVE_INFINITY;
  centres.forEach((centre, c) => {
    let dot = 0;
    let norm = 0;
    centre.forEach((v, a) => {
      dot += v * vector[a]!;
      norm += v * v;
    });
    const cosine = dot / Math.sqrt(norm);
    if (cosine > bestCosine) {
      bestCosine = cosine;
      best = c;
    }
  });
  return best;
}

/**
 * Plain TypeScript twin of the catalogue search's exact paths (assembly/int8-topk.ts `search`, sets 0 and
 * 3): every row under the rules, scored as the kernel scores (int8Score), best n kept with the same order.
 * The oracle for the kernel's tests and for the IVF probe's recall: a search that scans every row must
 * answer exactly this, bit for bit.
 */
import type { Catalog, ItemVectors } from "../models/catalog/index.ts";
import { int8Score } from "../models/catalog/index.ts";
import type { SearchRules } from "./catalog-kernel.ts";
import type { TopKResult } from "./int8-topk.ts";
import { quantizeUserVector } from "./quantize-user-vector.ts";
import { TopNHeap } from "./top-n-by-score.ts";

/** Whether item i passes the rules (exclusions included). */
export function passesRules(catalog: Catalog, rules: SearchRules, excluded: ReadonlySet<number>, i: number) {
  if (excluded.has(i)) {
    return false;
  }
  const categories = catalog.categoryIds.subarray(catalog.categoryOffsets[i], catalog.categoryOffsets[i + 1]);
  const has = (names: Uint32Array) => categories.some((c) => names.includes(c));
  if (rules.includeCategories !== null && !has(rules.includeCategories)) {
    return false;
  }
  if (has(rules.excludeCategories)) {
    return false;
  }
  if (rules.priceMin !== undefined || rules.priceMax !== undefined) {
    const price = catalog.price[i]!;
    if (!(price >= (rules.priceMin ?? 0) && price <= (rules.priceMax ?? Number.POSITIVE_INFINITY))) {
      return false;
    }
  }
  return true;
}

/** The exact best n by the int8 score of `query` against `table`, under the rules. */
export function nearestReference(
  catalog: Catalog,
  table: ItemVectors,
  query: Float32Array,
  n: number,
  rules: SearchRules,
): TopKResult {
  const user = quantizeUserVector(query);
  const excluded = new Set(rules.excluded);
  const heap = new TopNHeap(n);
  for (let i = 0; i < catalog.items; i++) {
    if (passesRules(catalog, rules, excluded, i)) {
      heap.offer(int8Score(table, i, user.values, user.scale), i);
    }
  }
  const { indices, scores } = heap.result();
  return { indices: indices.slice(), scores: scores.slice() };
}

/** The exact best n by popularity (or trending score), under the rules. */
export function rankedReference(
  catalog: Catalog,
  strategy: "popular" | "trending",
  n: number,
  rules: SearchRules,
): TopKResult {
  const values = strategy === "popular" ? catalog.popularity : catalog.trending;
  const excluded = new Set(rules.excluded);
  const heap = new TopNHeap(n);
  for (let i = 0; i < catalog.items; i++) {
    if (passesRules(catalog, rules, excluded, i)) {
      heap.offer(values[i]!, i);
    }
  }
  const { indices, scores } = heap.result();
  return { indices: indices.slice(), scores: scores.slice() };
}

/**
 * Business rules as the kernel applies them inside its scan (wasm/catalog-kernel.ts SearchRules): category
 * names become category ids, excluded item ids (the request's `exclude`, recent items when the seen set
 * cannot be used) become item indices through the catalogue's id table and join the seen set's indices. The work is proportional to what the request names, never to the
 * catalogue: no mask over the items. `isEligible` checks one item against the same rules, for candidates
 * from a generator that cannot apply them all itself (Vectorize).
 */
import type { Catalog } from "../../models/catalog/index.ts";
import type { ItemFilters } from "../../models/contracts/index.ts";
import type { SearchRules } from "../../wasm/catalog-kernel.ts";
import type { RequestFilters } from "./types.ts";

/** The surface's filters with the request's applied. */
export interface EffectiveFilters {
  includeCategories: readonly string[] | undefined;
  excludeCategories: readonly string[];
  priceMin: number | undefined;
  priceMax: number | undefined;
}

export function mergeFilters(surface: ItemFilters, request: RequestFilters | undefined): EffectiveFilters {
  return {
    includeCategories: request?.includeCategories ?? surface.includeCategories,
    excludeCategories: [...surface.excludeCategories, ...(request?.excludeCategories ?? [])],
    priceMin: request?.priceMin ?? surface.priceMin,
    priceMax: request?.priceMax ?? surface.priceMax,
  };
}

/** The ids of the names the catalogue knows (an include list naming only unknown ones then matches nothing). */
function categoryIds(catalog: Catalog, names: readonly string[]): Uint32Array {
  const ids: number[] = [];
  for (const name of names) {
    const id = catalog.categoryId(name);
    if (id >= 0 && !ids.includes(id)) {
      ids.push(id);
    }
  }
  return Uint32Array.from(ids);
}

/**
 * Rules for one request; `rules.excluded` is sorted ascending without duplicates. `excludedIndices` (sorted,
 * distinct: a decoded seen set) is taken as it is when no id adds to it.
 */
export function candidateRules(
  catalog: Catalog,
  filters: EffectiveFilters,
  excludedIndices: Uint32Array,
  excludedItemIds: Iterable<string>,
): SearchRules {
  const excluded: number[] = [];
  for (const id of excludedItemIds) {
    const index = catalog.indexOf(id);
    if (index >= 0) {
      excluded.push(index);
    }
  }
  return {
    includeCategories:
      filters.includeCategories === undefined ? null : categoryIds(catalog, filters.includeCategories),
    excludeCategories: categoryIds(catalog, filters.excludeCategories),
    priceMin: filters.priceMin,
    priceMax: filters.priceMax,
    excluded: excluded.length === 0 ? excludedIndices : sortedUnique([...excludedIndices, ...excluded]),
  };
}

/** The same rules with `more` item indices excluded too (the pool's own items, when topping it up). */
export function excludingAlso(rules: SearchRules, more: ArrayLike<number>): SearchRules {
  return { ...rules, excluded: sortedUnique([...rules.excluded, ...Array.from(more)]) };
}

function sortedUnique(values: number[]): Uint32Array {
  const sorted = Uint32Array.from(values).sort();
  let kept = 0;
  for (let i = 0; i < sorted.length; i++) {
    if (i === 0 || sorted[i] !== sorted[i - 1]) {
      sorted[kept++] = sorted[i]!;
    }
  }
  return sorted.subarray(0, kept);
}

function hasAny(catalog: Catalog, item: number, ids: Uint32Array): boolean {
  for (let r = catalog.categoryOffsets[item]!; r < catalog.categoryOffsets[item + 1]!; r++) {
    if (ids.includes(catalog.categoryIds[r]!)) {
      return true;
    }
  }
  return false;
}

/** Whether one item passes the rules (a binary search in the sorted exclusions, a look at its categories). */
export function isEligible(catalog: Catalog, rules: SearchRules, item: number): boolean {
  if (item >= catalog.items) {
    return false;
  }
  const excluded = rules.excluded;
  let lo = 0;
  let hi = excluded.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (excluded[mid]! < item) {
      lo = mid + 1;
    } else {
      hi = mid;
    }
  }
  if (lo < excluded.length && excluded[lo] === item) {
    return false;
  }
  if (rules.includeCategories !== null && !hasAny(catalog, item, rules.includeCategories)) {
    return false;
  }
  if (hasAny(catalog, item, rules.excludeCategories)) {
    return false;
  }
  if (rules.priceMin !== undefined || rules.priceMax !== undefined) {
    const price = catalog.price[item]!;
    // NaN (unknown price) fails both comparisons, so it is left out whenever a bound is set.
    return price >= (rules.priceMin ?? 0) && price <= (rules.priceMax ?? Number.POSITIVE_INFINITY);
  }
  return true;
}

/**
 * Business rules as one mask over the catalogue, built before candidates are generated: the scorer then
 * skips ineligible items itself, so the top-n it returns are the top-n the user may actually see (filtering
 * after generation would leave a narrow category with few or no candidates).
 */
import type { Catalog } from "../../models/catalog/index.ts";
import type { ItemFilters } from "../../models/contracts/index.ts";
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

export interface Eligibility {
  /** 1 where the item may be shown. */
  mask: Uint8Array;
  /** Indices whose mask is 0, ascending: what the scorer must skip. */
  excluded: Uint32Array;
  eligible: number;
  /** Items that pass the filters, before seen and explicitly excluded items are removed. */
  matchingFilters: number;
}

/** Flags over category ids for the names the catalogue knows; null when no name is known. */
function categoryFlags(catalog: Catalog, names: readonly string[]): Uint8Array | null {
  let flags: Uint8Array | null = null;
  for (const name of names) {
    const id = catalog.categoryId(name);
    if (id >= 0) {
      flags ??= new Uint8Array(catalog.categoryNames.length);
      flags[id] = 1;
    }
  }
  return flags;
}

function hasFlagged(catalog: Catalog, item: number, flags: Uint8Array): boolean {
  const { categoryOffsets, categoryIds } = catalog;
  for (let r = categoryOffsets[item]!; r < categoryOffsets[item + 1]!; r++) {
    if (flags[categoryIds[r]!] === 1) {
      return true;
    }
  }
  return false;
}

export function buildEligibility(
  catalog: Catalog,
  filters: EffectiveFilters,
  excludedItemIds: Iterable<string>,
): Eligibility {
  const items = catalog.items;
  const mask = new Uint8Array(items).fill(1);
  const include = filters.includeCategories;
  // An include list naming only unknown categories matches nothing, rather than everything.
  const includeFlags = include === undefined ? null : (categoryFlags(catalog, include) ?? new Uint8Array(0));
  const excludeFlags = categoryFlags(catalog, filters.excludeCategories);
  const priced = filters.priceMin !== undefined || filters.priceMax !== undefined;
  const priceMin = filters.priceMin ?? 0;
  const priceMax = filters.priceMax ?? Number.POSITIVE_INFINITY;

  let matchingFilters = items;
  if (includeFlags !== null || excludeFlags !== null || priced) {
    for (let i = 0; i < items; i++) {
      const price = catalog.price[i]!;
      // NaN (unknown price) fails both comparisons, so it is left out whenever a bound is set.
      const keep =
        (includeFlags === null || hasFlagged(catalog, i, includeFlags)) &&
        (excludeFlags === null || !hasFlagged(catalog, i, excludeFlags)) &&
        (!priced || (price >= priceMin && price <= priceMax));
      if (!keep) {
        mask[i] = 0;
        matchingFilters--;
      }
    }
  }

  let eligible = matchingFilters;
  for (const id of excludedItemIds) {
    const index = catalog.indexOf(id);
    if (index >= 0 && mask[index] === 1) {
      mask[index] = 0;
      eligible--;
    }
  }

  const excluded = new Uint32Array(items - eligible);
  for (let i = 0, e = 0; i < items; i++) {
    if (mask[i] === 0) {
      excluded[e++] = i;
    }
  }
  return { mask, excluded, eligible, matchingFilters };
}

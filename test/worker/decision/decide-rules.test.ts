import { describe, expect, it } from "vitest";
import { decide } from "../../../worker/decision/index.ts";
import { allIds, buildFixture, context, ids, surface, user, userNear, withPersonal } from "./fixture.ts";

const fixture = buildFixture();
const { catalog } = fixture;
const categoriesOf = (id: string) => {
  const i = catalog.indexOf(id);
  return Array.from(
    catalog.categoryIds.subarray(catalog.categoryOffsets[i], catalog.categoryOffsets[i + 1]),
    (c) => catalog.categoryNames[c],
  );
};
const priceOf = (id: string) => catalog.price[catalog.indexOf(id)]!;

describe("business rules", () => {
  it("leaves out the items the user has seen, and shows them again on a surface that allows it", async () => {
    const before = await decide({ k: 10 }, context(fixture, { user: userNear(fixture, { 0: 1 }) }));
    const seen = ids(before).slice(0, 5);
    const seenUser = userNear(fixture, { 0: 1 }, { recentItems: seen });

    const after = await decide({ k: 10 }, context(fixture, { user: seenUser }));
    expect(ids(after).filter((id) => seen.includes(id))).toEqual([]);
    expect(after.items).toHaveLength(10);

    const allowed = await decide(
      { k: 10 },
      context(fixture, { user: seenUser, surface: surface({ excludeSeen: false }) }),
    );
    expect(ids(allowed).slice(0, 5)).toEqual(seen);
  });

  it("leaves out the request's excluded items even where seen items are allowed", async () => {
    const first = await decide({ k: 3 }, context(fixture, { user: userNear(fixture, { 1: 1 }) }));
    const excluded = ids(first);
    const next = await decide(
      { k: 3, excludeItems: excluded },
      context(fixture, { user: userNear(fixture, { 1: 1 }), surface: surface({ excludeSeen: false }) }),
    );
    expect(ids(next).filter((id) => excluded.includes(id))).toEqual([]);
  });

  it("never shows an excluded item even when the candidate generator returns it", async () => {
    const seen = ["item-0", "item-5", "item-10"];
    const candidates = withPersonal(fixture, () => ({
      indices: Uint32Array.of(0, 5, 10, 15, 20),
      scores: Float32Array.of(5, 4, 3, 2, 1),
    }));
    const decision = await decide(
      { k: 2 },
      context(fixture, { user: userNear(fixture, { 0: 1 }, { recentItems: seen }), candidates }),
    );
    expect(ids(decision)).toEqual(["item-15", "item-20"]);
  });

  it("honours the surface's category filters and lets the request replace the include list", async () => {
    const onSale = surface({ filters: { includeCategories: ["sale"], excludeCategories: ["c0"] } });
    const decision = await decide(
      { k: 20 },
      context(fixture, { user: userNear(fixture, { 0: 1 }), surface: onSale }),
    );
    expect(decision.items).toHaveLength(20);
    for (const id of ids(decision)) {
      expect(categoriesOf(id)).toContain("sale");
      expect(categoriesOf(id)).not.toContain("c0");
    }

    const replaced = await decide(
      { k: 20, filters: { includeCategories: ["c2"] } },
      context(fixture, { surface: onSale }),
    );
    expect(new Set(ids(replaced).map((id) => categoriesOf(id).includes("c2")))).toEqual(new Set([true]));
  });

  it("keeps prices within the bounds and leaves out items of unknown price", async () => {
    const decision = await decide(
      { k: 30, filters: { priceMin: 20, priceMax: 60 } },
      context(fixture, { user: userNear(fixture, { 2: 1 }) }),
    );
    expect(decision.items.length).toBeGreaterThan(0);
    for (const id of ids(decision)) {
      expect(priceOf(id)).toBeGreaterThanOrEqual(20);
      expect(priceOf(id)).toBeLessThanOrEqual(60);
    }
  });

  it("matches nothing when the include list names only unknown categories", async () => {
    const decision = await decide({ filters: { includeCategories: ["no-such-category"] } }, context(fixture));
    expect(decision.items).toEqual([]);
    expect(decision.empty_reason?.code).toBe("no_item_matches_filters");
    expect(decision.degraded).toBe(false);
  });
});

describe("k", () => {
  it("uses the surface's default, clamps to [1, k.max], and stops at the number of eligible items", async () => {
    const s = surface({ k: { default: 7, max: 12 } });
    const count = async (k: number | undefined, filters = {}) =>
      (await decide({ k, filters }, context(fixture, { surface: s, user: userNear(fixture, { 0: 1 }) })))
        .items.length;
    expect(await count(undefined)).toBe(7);
    expect(await count(100)).toBe(12);
    expect(await count(0)).toBe(1);
    expect(await count(Number.NaN)).toBe(7);
    // Items in c1 and on sale priced at most 30: fewer than k, so all of them and nothing else come back.
    const few = allIds(catalog).filter(
      (id) => categoriesOf(id).includes("c1") && categoriesOf(id).includes("sale") && priceOf(id) <= 30,
    );
    expect(few.length).toBeGreaterThan(0);
    expect(few.length).toBeLessThan(12);
    const narrow = await decide(
      {
        k: 12,
        filters: { includeCategories: ["sale"], priceMax: 30, excludeCategories: ["c0", "c2", "c3", "c4"] },
      },
      context(fixture, { surface: s }),
    );
    expect(ids(narrow).sort()).toEqual([...few].sort());
  });
});

describe("empty answers", () => {
  it("explains an empty catalogue without degrading", async () => {
    const empty = buildFixture({ items: 0 });
    const decision = await decide({}, context(empty, { user: userNear(fixture, { 0: 1 }) }));
    expect(decision.items).toEqual([]);
    expect(decision.empty_reason?.code).toBe("catalog_empty");
    expect(decision.degraded).toBe(false);
  });

  it("explains a catalogue the filters empty", async () => {
    const decision = await decide({ filters: { priceMin: 1000 } }, context(fixture));
    expect(decision.empty_reason?.code).toBe("no_item_matches_filters");
  });

  it("explains a user who has seen every matching item", async () => {
    const c4 = allIds(catalog).filter((id) => categoriesOf(id).includes("c4"));
    const decision = await decide(
      { filters: { includeCategories: ["c4"] } },
      context(fixture, { user: user({ recentItems: c4 }) }),
    );
    expect(decision.items).toEqual([]);
    expect(decision.empty_reason?.code).toBe("every_item_excluded");
  });

  it("answers empty and degraded when no catalogue is loaded", async () => {
    const decision = await decide({}, context(fixture, { catalog: null, user: userNear(fixture, { 0: 1 }) }));
    expect(decision.items).toEqual([]);
    expect(decision.degraded).toBe(true);
    expect(decision.degraded_causes.map((c) => c.code)).toEqual(["catalog_unavailable"]);
    expect(decision.empty_reason?.code).toBe("catalog_unavailable");
  });
});

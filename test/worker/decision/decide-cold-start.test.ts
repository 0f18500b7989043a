import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../models/random.ts";
import { decide } from "../../../worker/decision/index.ts";
import {
  allIds,
  buildFixture,
  context,
  EMBEDDING,
  ids,
  surface,
  user,
  userNear,
  withPersonal,
} from "./fixture.ts";

const fixture = buildFixture();
const { catalog } = fixture;
/** Ranking by popularity alone, so the expected order is the popularity order. */
const popularOnly = (coldStart: "popular" | "trending" = "popular") =>
  surface({ coldStart, weights: { model: 1, popularity: 0, sentiment: 0 } });

/** Item ids by descending score, ties by lower index: the oracle for cold-start order. */
function ranked(scores: Float32Array, k: number, skip: ReadonlySet<string> = new Set()): string[] {
  return Array.from(scores.keys())
    .filter((i) => !skip.has(catalog.itemId(i)))
    .sort((a, b) => scores[b]! - scores[a]! || a - b)
    .slice(0, k)
    .map((i) => catalog.itemId(i));
}

describe("cold start", () => {
  it("gives an unknown user the most popular items, marked cold start and not degraded", async () => {
    const decision = await decide({ k: 10 }, context(fixture, { surface: popularOnly() }));
    expect(ids(decision)).toEqual(ranked(catalog.popularity, 10));
    expect(decision.cold_start).toBe(true);
    expect(decision.degraded).toBe(false);
    expect(new Set(decision.items.map((item) => item.source))).toEqual(new Set(["popular"]));
    expect(decision.model_versions).toEqual({ catalog: catalog.header.version });
  });

  it("follows the surface's trending strategy", async () => {
    const decision = await decide({ k: 10 }, context(fixture, { surface: popularOnly("trending") }));
    expect(ids(decision)).toEqual(ranked(catalog.trending, 10));
    expect(decision.items[0]!.source).toBe("trending");
  });

  it("gives a known user without an embedding popular items they have not seen", async () => {
    const seen = ranked(catalog.popularity, 3);
    const decision = await decide(
      { k: 5 },
      context(fixture, { surface: popularOnly(), user: user({ recentItems: seen }) }),
    );
    expect(ids(decision)).toEqual(ranked(catalog.popularity, 5, new Set(seen)));
    expect(decision.cold_start).toBe(true);
  });

  it("is never empty while any item is eligible, whatever the filters", async () => {
    const rng = mulberry32(11);
    for (let trial = 0; trial < 40; trial++) {
      const priceMin = Math.floor(rng() * 120);
      const filters = {
        priceMin,
        priceMax: priceMin + Math.floor(rng() * 40),
        includeCategories: rng() < 0.5 ? [`c${Math.floor(rng() * 5)}`] : undefined,
      };
      const eligible = allIds(catalog).filter((_, i) => {
        const price = catalog.price[i]!;
        const inCategory =
          filters.includeCategories === undefined ||
          catalog.categoryIds
            .subarray(catalog.categoryOffsets[i], catalog.categoryOffsets[i + 1])
            .some((c) => catalog.categoryNames[c] === filters.includeCategories![0]);
        return inCategory && price >= filters.priceMin && price <= filters.priceMax;
      });
      const decision = await decide({ k: 5, filters }, context(fixture));
      expect(decision.items.length).toBe(Math.min(5, eligible.length));
      expect(decision.empty_reason === null).toBe(eligible.length > 0);
    }
  });
});

describe("degraded answers", () => {
  const personal = userNear(fixture, { 0: 1 });

  it("falls back to cold start, degraded, when the user's embedding is from another model version", async () => {
    const stale = { ...personal, embedding: { ...personal.embedding!, version: "v0" } };
    const decision = await decide({ k: 5 }, context(fixture, { user: stale }));
    expect(decision.items).toHaveLength(5);
    expect(decision.cold_start).toBe(true);
    expect(decision.degraded_causes.map((c) => c.code)).toEqual(["user_embedding_stale"]);
    expect(decision.degraded_causes[0]!.message).toContain("mf@v0");
  });

  it("falls back when the embedding's length does not match the table", async () => {
    const short = { ...personal, embedding: { ...EMBEDDING, values: [1, 2, 3] } };
    const decision = await decide({ k: 5 }, context(fixture, { user: short }));
    expect(decision.degraded_causes.map((c) => c.code)).toEqual(["user_embedding_dim_mismatch"]);
    expect(decision.items).toHaveLength(5);
  });

  it("falls back when the catalogue has no embeddings or the candidate generator throws", async () => {
    const noTable = await decide({ k: 4 }, context(buildFixture({ noEmbedding: true }), { user: personal }));
    const failing = await decide(
      { k: 4 },
      context(fixture, {
        user: personal,
        candidates: withPersonal(fixture, () => {
          throw new Error("kernel trapped");
        }),
      }),
    );
    expect(noTable.degraded_causes.map((c) => c.code)).toEqual(["item_embeddings_missing"]);
    expect(failing.degraded_causes.map((c) => c.code)).toEqual(["scorer_failed"]);
    expect(failing.degraded_causes[0]!.message).toContain("kernel trapped");
    for (const decision of [noTable, failing]) {
      expect(decision.items).toHaveLength(4);
      expect(decision.cold_start).toBe(true);
      expect(decision.degraded).toBe(true);
    }
  });

  it("tops a short candidate list up with popular items", async () => {
    const candidates = withPersonal(fixture, () => ({
      indices: Uint32Array.of(3, 8),
      scores: Float32Array.of(2, 1),
    }));
    const decision = await decide({ k: 6 }, context(fixture, { user: personal, candidates }));
    expect(decision.items).toHaveLength(6);
    expect(decision.cold_start).toBe(false);
    const sources = decision.items.map((item) => item.source);
    expect(sources.filter((s) => s === "model")).toHaveLength(2);
    expect(sources.filter((s) => s === "popular_fallback")).toHaveLength(4);
    const filled = decision.items
      .filter((item) => item.source === "popular_fallback")
      .map((item) => item.item_id);
    expect(new Set(filled)).toEqual(new Set(ranked(catalog.popularity, 4, new Set(["item-3", "item-8"]))));
  });

  it("says so when the surface asks for content-vector diversity the catalogue lacks", async () => {
    const decision = await decide(
      { k: 5 },
      context(fixture, {
        user: personal,
        surface: surface({ diversity: { lambda: 0.5, vectors: "content" } }),
      }),
    );
    expect(decision.items).toHaveLength(5);
    expect(decision.degraded_causes.map((c) => c.code)).toEqual(["diversity_vectors_missing"]);
  });
});

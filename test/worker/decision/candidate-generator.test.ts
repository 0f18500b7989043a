/**
 * The contract every candidate generator keeps (worker/decision/types.ts CandidateGenerator), run against
 * each backend that runs here: the in-isolate kernel, through its IVF index and by its exact scan, and the
 * TypeScript reference. The Vectorize backend (worker/runtime/vectorize-candidates.ts) is not among them:
 * Miniflare has no local Vectorize, and a stand-in would only test itself.
 */
import { describe, expect, it } from "vitest";
import { encodeCatalog } from "../../../models/catalog/index.ts";
import { mulberry32, type Rng, randomNormalArray } from "../../../models/random.ts";
import { loadCatalogKernel, type SearchRules } from "../../../wasm/catalog-kernel.ts";
import { type CandidateGenerator, isEligible, kernelCandidates } from "../../../worker/decision/index.ts";
import { buildFixture, kernelModule, referenceCandidates } from "./fixture.ts";

const fixture = buildFixture({ items: 6000, dim: 16, clusters: 8 });
const indexed = loadCatalogKernel(kernelModule, encodeCatalog({ ...fixture.input, index: { minItems: 0 } }));
const { catalog } = fixture;

function randomRules(rng: Rng): SearchRules {
  const pick = () => catalog.categoryId(`c${Math.floor(rng() * 8)}`);
  const roll = rng();
  return {
    includeCategories: roll < 0.3 ? Uint32Array.of(pick()) : roll < 0.4 ? Uint32Array.of() : null,
    excludeCategories: rng() < 0.3 ? Uint32Array.of(catalog.categoryId("sale")) : new Uint32Array(0),
    ...(rng() < 0.3 ? { priceMin: 20, priceMax: 60 } : {}),
    excluded: Uint32Array.from(
      new Set(Array.from({ length: Math.floor(rng() * 200) }, () => Math.floor(rng() * catalog.items))),
    ).sort(),
  };
}

const backends: Array<[string, CandidateGenerator, typeof catalog]> = [
  ["the kernel's exact scan", kernelCandidates(fixture.kernel), catalog],
  ["the kernel's IVF probe", kernelCandidates(indexed), indexed.catalog],
  ["the TypeScript reference", referenceCandidates(catalog), catalog],
];

describe.each(backends)("candidate generator contract: %s", (_, generator, own) => {
  it("returns at most n items, best first, each once, none that the rules leave out", async () => {
    const rng = mulberry32(3);
    for (let t = 0; t < 40; t++) {
      const rules = randomRules(rng);
      const n = 1 + Math.floor(rng() * 150);
      const result = await generator.personal(randomNormalArray(rng, 16), n, rules);
      expect(result.indices.length).toBeLessThanOrEqual(n);
      expect(new Set(result.indices).size).toBe(result.indices.length);
      for (let r = 1; r < result.scores.length; r++) {
        expect(result.scores[r]!).toBeLessThanOrEqual(result.scores[r - 1]!);
      }
      for (const item of result.indices) {
        expect(isEligible(own, rules, item)).toBe(true);
      }
    }
  });

  it("ranks cold-start candidates by popularity and trending score, under the rules, exactly", () => {
    const rng = mulberry32(4);
    for (let t = 0; t < 20; t++) {
      const rules = randomRules(rng);
      for (const strategy of ["popular", "trending"] as const) {
        const values = strategy === "popular" ? own.popularity : own.trending;
        const expected = Array.from({ length: own.items }, (_, i) => i)
          .filter((i) => isEligible(own, rules, i))
          .sort((a, b) => values[b]! - values[a]! || a - b)
          .slice(0, 30);
        expect(Array.from(generator.ranked(strategy, 30, rules).indices)).toEqual(expected);
      }
    }
  });
});

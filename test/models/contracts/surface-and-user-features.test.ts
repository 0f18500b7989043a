import { describe, expect, it } from "vitest";
import {
  DEFAULT_SURFACES,
  SurfaceConfig,
  Surfaces,
  USER_FEATURE_LIMITS,
  UserFeatures,
} from "../../../models/contracts/index.ts";
import { encodeSeenIndices } from "../../../models/seen/index.ts";

describe("surface configuration", () => {
  it("fills every key of a surface published as just its name", () => {
    expect(SurfaceConfig.parse({ name: "home" })).toEqual({
      name: "home",
      k: { default: 10, max: 50 },
      candidates: 200,
      excludeSeen: true,
      filters: { excludeCategories: [] },
      weights: { model: 1, popularity: 0.1, sentiment: 0.05 },
      sentimentPriorReviews: 5,
      diversity: { lambda: 1, vectors: "embedding" },
      coldStart: "popular",
      exploration: { strategy: "none" },
    });
  });

  it("keeps the defaults of the keys a partial section leaves out", () => {
    // A `behaviour` weight (published before that term was dropped) is ignored, not refused.
    const surface = SurfaceConfig.parse({
      name: "cart",
      weights: { sentiment: 0.3, behaviour: 0.3 },
      k: { default: 4 },
    });
    expect(surface.weights).toEqual({ model: 1, popularity: 0.1, sentiment: 0.3 });
    expect(surface.k).toEqual({ default: 4, max: 50 });
  });

  it.each([
    ["k.default above k.max", { k: { default: 20, max: 10 } }],
    ["k.max above the candidate pool", { k: { max: 100 }, candidates: 50 }],
    ["priceMin above priceMax", { filters: { priceMin: 10, priceMax: 5 } }],
    ["λ = 0", { diversity: { lambda: 0 } }],
    ["a negative weight", { weights: { popularity: -1 } }],
    ["an exploration strategy not built yet", { exploration: { strategy: "epsilon_greedy" } }],
    ["a name that is not a slug", { name: "Home Page" }],
  ])("rejects %s", (_, patch) => {
    expect(SurfaceConfig.safeParse({ name: "home", ...patch }).success).toBe(false);
  });

  it("requires each published surface to sit under its own name, and ships valid defaults", () => {
    expect(Surfaces.safeParse({ home: { name: "cart" } }).success).toBe(false);
    expect(Object.keys(DEFAULT_SURFACES).sort()).toEqual(["cart", "home", "product"]);
    expect(Surfaces.parse(DEFAULT_SURFACES)).toEqual(DEFAULT_SURFACES);
  });
});

describe("user features", () => {
  const base = { userId: "u1", updatedAt: "2026-11-20T00:00:00Z", vectors: { behaviour: [0.1, 0.2] } };

  it("still parses a record written before the ranking fields existed", () => {
    expect(UserFeatures.parse(base)).toEqual({ ...base, producedFor: {} });
  });

  it("parses the ranking fields and bounds the recent-items list", () => {
    const full = {
      ...base,
      recentItems: ["a", "b"],
      embedding: { model: "mf", version: "v1", values: [0.5, -1] },
      segment: "loyal",
    };
    expect(UserFeatures.parse(full)).toMatchObject(full);
    expect(UserFeatures.safeParse({ ...base, recentItems: new Array(501).fill("x") }).success).toBe(false);
    expect(
      UserFeatures.safeParse({ ...base, embedding: { model: "mf", version: "v1", values: [] } }).success,
    ).toBe(false);
  });

  it("parses a seen set and refuses one whose indices are not base64 or whose count is out of bounds", () => {
    const seen = { catalog: "r1", count: 3, indices: encodeSeenIndices([2, 5, 900]) };
    expect(UserFeatures.parse({ ...base, seen }).seen).toEqual(seen);
    for (const bad of [
      { ...seen, indices: "not base64!" },
      { ...seen, count: -1 },
      { ...seen, count: USER_FEATURE_LIMITS.seenItems + 1 },
      { ...seen, catalog: "" },
    ]) {
      expect(UserFeatures.safeParse({ ...base, seen: bad }).success, JSON.stringify(bad)).toBe(false);
    }
  });
});

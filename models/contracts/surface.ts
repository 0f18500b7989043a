/**
 * Surfaces: named configurations of the decision engine (home, product page, cart…), published with the
 * models so a change of business rules or weights ships like a model, and rolls back like one. Every key has
 * a default, so a surface can be published as little as `{ "name": "home" }`.
 */
import { z } from "zod";
import { EVENT_LIMITS } from "./event.ts";

export const SURFACE_LIMITS = {
  k: 200,
  candidates: 5000,
  categories: 64,
} as const;

const CategoryList = z
  .array(z.string().min(1).max(EVENT_LIMITS.categoryChars))
  .max(SURFACE_LIMITS.categories);
const Price = z.number().nonnegative();

/** Business rules: which items may be shown at all. */
export const ItemFilters = z
  .object({
    /** Only items in at least one of these categories; absent means any category. */
    includeCategories: CategoryList.optional(),
    /** Never items in any of these categories. */
    excludeCategories: CategoryList.default([]),
    /** Inclusive price bounds; with either set, items whose price is unknown are left out. */
    priceMin: Price.optional(),
    priceMax: Price.optional(),
  })
  .refine((f) => f.priceMin === undefined || f.priceMax === undefined || f.priceMin <= f.priceMax, {
    message: "priceMin must not exceed priceMax",
  });
export type ItemFilters = z.infer<typeof ItemFilters>;

/**
 * Weights of the re-ranking terms (worker/decision/rerank.ts has the formula). Each term lies in [0, 1]
 * (sentiment in [-1, 1]), so weights compare directly: 0.1 on popularity is a tenth of the model's say.
 */
export const RerankWeights = z.object({
  /** The candidate generator's score, min-max normalised over the candidates (MF score, or cold-start score). */
  model: z.number().min(0).default(1),
  /** log-scaled popularity relative to the catalogue's most popular item. */
  popularity: z.number().min(0).default(0.1),
  /** Review sentiment, shrunk towards neutral for items with few reviews. */
  sentiment: z.number().min(0).default(0.05),
  /** The behaviour model's propensity for the user and item, when the edge runs one. */
  behaviour: z.number().min(0).default(0),
});
export type RerankWeights = z.infer<typeof RerankWeights>;

export const SurfaceConfig = z
  .object({
    name: z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,63}$/, "surface names are lower-case slugs (home, product, cart)"),
    k: z
      .object({
        /** Items returned when the request names no k. */
        default: z.int().min(1).max(SURFACE_LIMITS.k).default(10),
        /** A request's k is clamped to this. */
        max: z.int().min(1).max(SURFACE_LIMITS.k).default(50),
      })
      .prefault({}),
    /** Candidates the generator returns before rules, re-ranking and diversity pick k of them. */
    candidates: z.int().min(1).max(SURFACE_LIMITS.candidates).default(200),
    /** Leave out the items in the user's recent history. */
    excludeSeen: z.boolean().default(true),
    filters: ItemFilters.prefault({}),
    weights: RerankWeights.prefault({}),
    /** Pseudo-count of neutral reviews that an item's sentiment is shrunk towards (0 = no shrinkage). */
    sentimentPriorReviews: z.number().min(0).default(5),
    diversity: z
      .object({
        /** MMR trade-off in (0, 1]: 1 ranks by relevance alone, lower values push similar items apart. */
        lambda: z.number().gt(0).max(1).default(1),
        /** Which item vectors measure similarity: the recommendation model's or the content model's. */
        vectors: z.enum(["embedding", "content"]).default("embedding"),
      })
      .prefault({}),
    /** What an unknown user (or one without an embedding) gets. */
    coldStart: z.enum(["popular", "trending"]).default("popular"),
    /** Placeholder for the bandit issue: only "none" (always exploit) is implemented. */
    exploration: z.object({ strategy: z.literal("none").default("none") }).prefault({}),
  })
  .refine((s) => s.k.default <= s.k.max, { message: "k.default must not exceed k.max", path: ["k"] })
  .refine((s) => s.k.max <= s.candidates, {
    message: "k.max must not exceed candidates",
    path: ["candidates"],
  });
export type SurfaceConfig = z.infer<typeof SurfaceConfig>;
export type SurfaceConfigInput = z.input<typeof SurfaceConfig>;

/** Every published surface by name; each entry's `name` must equal its key. */
export const Surfaces = z
  .record(z.string(), SurfaceConfig)
  .refine((all) => Object.entries(all).every(([key, surface]) => key === surface.name), {
    message: "each surface must be stored under its own name",
  });
export type Surfaces = z.infer<typeof Surfaces>;

/** What the origin publishes when it is configured with no surfaces of its own. */
export const DEFAULT_SURFACES: Surfaces = Surfaces.parse({
  home: { name: "home", diversity: { lambda: 0.7 } },
  product: { name: "product", k: { default: 8 }, diversity: { lambda: 0.9 } },
  cart: { name: "cart", k: { default: 6 }, weights: { popularity: 0.2 }, diversity: { lambda: 0.8 } },
});

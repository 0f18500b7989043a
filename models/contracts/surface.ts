/**
 * Surfaces: named configurations of the decision engine (home, product page, cart…), published with the
 * models so a change of business rules or weights ships like a model, and rolls back like one. Every key has
 * a default, so a surface can be published as little as `{ "name": "home" }`.
 */
import { z } from "zod";
import { BanditConfig } from "../bandit/config.ts";
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
});
export type RerankWeights = z.infer<typeof RerankWeights>;

/**
 * How GET /recommendations explores around the decision engine's ranking. "none" shows the engine's
 * ranking as it is, and logs each slot with propensity 1 (such logs can evaluate only policies that agree
 * with them). "epsilon-greedy" ranks `pool` items with the engine, then fills each slot with the next best
 * of them with probability 1 − ε and with a uniform pick among the rest otherwise, logging the exact
 * propensity of each slot (docs/learning-loop.md).
 */
export const RecommendationExploration = z.union([
  // `{}` (what older manifests carry) still means "none".
  z.object({ strategy: z.literal("none").default("none") }),
  z.object({
    strategy: z.literal("epsilon-greedy"),
    epsilon: z.number().gt(0).max(1).default(0.1),
    /** Items the slots are drawn from: the engine's top max(k, pool), at most the surface's candidates. */
    pool: z.int().min(1).max(SURFACE_LIMITS.k).default(20),
  }),
]);
export type RecommendationExploration = z.infer<typeof RecommendationExploration>;

/** An experiment's or an arm's id (models/experiments takes them by the same rules). */
export const armId = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,64}$/, "ids are 1–64 letters, digits, '_', '.' or '-'");

/** An experiment's arms: 1 to 32 of them, with distinct ids. */
export function armList<Arm extends z.ZodType<{ id: string }>>(arm: Arm) {
  return z
    .array(arm)
    .min(1)
    .max(32)
    .refine((arms) => new Set(arms.map((a) => a.id)).size === arms.length, "arm ids must be unique");
}

/** One arm of a surface's experiment: its share of the traffic and the configuration it serves. */
export const SurfaceExperimentArm = z.object({
  id: armId,
  /** Relative share of traffic; shares are normalised over the arms. */
  weight: z.number().positive(),
  /** POST /rank on this arm: its own bandit configuration (and parameters); the surface's when absent. */
  bandit: BanditConfig.optional(),
  /** GET /recommendations on this arm; the surface's exploration when absent. */
  exploration: RecommendationExploration.optional(),
});
export type SurfaceExperimentArm = z.infer<typeof SurfaceExperimentArm>;

/**
 * A traffic split of the surface, sticky per user (models/experiments/assign-arm.ts). Each arm learns its
 * own bandit parameters from its own decisions only, so that the arms' results stay independent.
 */
export const SurfaceExperiment = z.object({
  /** Part of the assignment hash: a new id reshuffles users, the same id keeps everyone where they were. */
  id: armId,
  arms: armList(SurfaceExperimentArm),
});
export type SurfaceExperiment = z.infer<typeof SurfaceExperiment>;

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
    /** How GET /recommendations explores; "none" (always exploit) by default. */
    exploration: RecommendationExploration.prefault({}),
    /** POST /rank's bandit on this surface (models/bandit/config.ts); every key has a default. */
    bandit: BanditConfig.optional(),
    experiment: SurfaceExperiment.optional(),
  })
  .refine((s) => s.k.default <= s.k.max, { message: "k.default must not exceed k.max", path: ["k"] })
  .refine((s) => s.k.max <= s.candidates, {
    message: "k.max must not exceed candidates",
    path: ["candidates"],
  })
  .refine((s) => (s.experiment?.arms ?? []).every((arm) => s.name.length + 1 + arm.id.length <= 64), {
    // An arm's bandit policy is named `<surface>.<arm>`, and policy ids are at most 64 characters.
    message: "surface name + '.' + arm id must not exceed 64 characters",
    path: ["experiment"],
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

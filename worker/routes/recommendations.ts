import { Hono } from "hono";
import { endTime, startTime } from "hono/timing";
import { z } from "zod";
import { decide } from "../decision/index.ts";
import { apiError } from "../http/api-error.ts";
import { ItemId, UserId } from "../http/client-ids.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { logRecommendation } from "../learning/log-recommendation.ts";
import {
  explorationPool,
  exploreRanking,
  recommendationRecord,
} from "../recommend/exploration.ts";
import { servingArm } from "../learning/serving-arm.ts";
import { pinRelease } from "../recommend/pinned-release.ts";
import { findSurface, publishedSurfaces } from "./recommendation-context.ts";

/** A comma-separated list of names, each checked by `element`. */
const commaList = (element: z.ZodType<string, string>) =>
  z
    .string()
    .max(8192)
    .transform((text) =>
      text
        .split(",")
        .map((part) => part.trim())
        .filter((part) => part.length > 0),
    )
    .pipe(z.array(element).max(200));
const categoryList = commaList(z.string().max(128));

const RecommendationsQuery = z.object({
  user_id: UserId,
  surface: z.string().min(1).max(64).default("home"),
  k: z.coerce.number().int().min(1).max(100).optional(),
  category: categoryList.optional(),
  exclude_category: categoryList.optional(),
  price_min: z.coerce.number().finite().min(0).optional(),
  price_max: z.coerce.number().finite().min(0).optional(),
  /** Items never to return (the product on its page, the cart's content). */
  exclude: commaList(ItemId).optional(),
  explain: z.enum(["0", "1", "true", "false"]).optional(),
});

/**
 * GET /recommendations?user_id=…&surface=…&k=…: the decision engine over the current catalogue.
 * Unknown users get the surface's cold-start answer; a missing or corrupt catalogue or model gives
 * a `degraded` answer (possibly empty), never a 5xx. The answer carries each item's propensity, and is
 * logged as a decision like POST /rank's, so its decision_id can be rewarded (POST /reward); the surface's
 * `exploration` (or its experiment arm's) may explore around the engine's ranking.
 */
export function recommendationRoutes() {
  return new Hono<EdgeContext>().get("/recommendations", async (c) => {
    const query = RecommendationsQuery.safeParse(c.req.query());
    if (!query.success) {
      return apiError(c, 400, "invalid_query", z.prettifyError(query.error));
    }
    const q = query.data;
    if (q.price_min !== undefined && q.price_max !== undefined && q.price_min > q.price_max) {
      return apiError(c, 400, "invalid_query", "price_min must not exceed price_max");
    }
    // One release for the whole answer: manifest, catalogue and the user's features of the same version.
    const { manifest, catalog: loaded, user } = await pinRelease(c, q.user_id);
    const surfaces = publishedSurfaces(manifest);
    const surface = findSurface(surfaces, q.surface);
    if (!surface) {
      return apiError(
        c,
        400,
        "unknown_surface",
        `no surface '${q.surface}'; published surfaces: ${Object.keys(surfaces).join(", ")}`,
      );
    }

    const arm = servingArm(surface, q.user_id);
    const asked = explorationPool(surface, q.k, arm.exploration);
    startTime(c, "decide");
    const decision = await decide(
      {
        k: asked.engineK,
        filters: {
          ...(q.category ? { includeCategories: q.category } : {}),
          ...(q.exclude_category ? { excludeCategories: q.exclude_category } : {}),
          ...(q.price_min === undefined ? {} : { priceMin: q.price_min }),
          ...(q.price_max === undefined ? {} : { priceMax: q.price_max }),
        },
        ...(q.exclude ? { excludeItems: q.exclude } : {}),
        explain: q.explain === "1" || q.explain === "true",
      },
      {
        catalog: loaded?.catalog ?? null,
        user,
        surface: asked.surface,
        scorer: loaded?.scorer ?? null,
        behaviour: null,
      },
    );
    endTime(c, "decide");
    if (manifest) {
      decision.model_versions.manifest = String(manifest.version);
    }
    const shown = exploreRanking(decision.items, asked.shownK, arm.exploration, decision.decision_id);
    logRecommendation(
      c,
      recommendationRecord({
        decisionId: decision.decision_id,
        nowMs: Date.now(),
        surface: surface.name,
        userId: q.user_id,
        // The engine's behaviour is fixed by the manifest: its catalogue, models and surfaces.
        policy: { id: arm.enginePolicyId, version: String(manifest?.version ?? 0) },
        experiment: arm.experiment,
        exploration: arm.exploration,
        pool: decision.items,
        shown,
        coldStart: decision.cold_start,
      }),
    );
    return c.json({
      user_id: q.user_id,
      ...decision,
      items: shown.items,
      propensities: shown.propensities,
      experiment: arm.experiment,
    });
  });
}

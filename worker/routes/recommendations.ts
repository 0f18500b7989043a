import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { apiError } from "../http/api-error.ts";
import { ItemId, UserId } from "../http/client-ids.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { releaseLoaders } from "../http/edge-loaders.ts";
import { logRecommendation } from "../http/log-recommendation.ts";
import { documentRoute, errorResponse, jsonResponse } from "../http/openapi-route.ts";
import { spanTimer } from "../http/span-timer.ts";
import { recommend } from "../recommend/index.ts";

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
 * GET /recommendations?user_id=…&surface=…&k=…: parses the query and answers what the recommend flow
 * (worker/recommend/) decides. Unknown users get the surface's cold-start answer; a missing or corrupt
 * catalogue or model gives a `degraded` answer (possibly empty), never a 5xx. The answer carries each
 * item's logging propensity and is logged as a decision like POST /rank's, so its decision_id can be
 * rewarded (POST /reward).
 */
export function recommendationRoutes() {
  return documentRoute(new OpenAPIHono<EdgeContext>(), {
    method: "get",
    path: "/recommendations",
    operationId: "getRecommendations",
    summary: "Recommendations for a user on a surface",
    description:
      "The recommend flow's answer: candidates from the user's embedding (or the surface's cold-start list), business rules, re-ranking, diversity and a popular fallback. The answer carries a decision_id and each item's logging propensity, and can be rewarded with POST /reward. A missing or corrupt catalogue or model gives a `degraded` answer, never a 5xx.",
    request: { query: RecommendationsQuery },
    responses: {
      200: jsonResponse("The recommended items with their scores (and reasons with explain=1)"),
      400: errorResponse(
        "A malformed query: unknown surface, a bad id, price_min above price_max (invalid_query)",
      ),
    },
  }).get("/recommendations", async (c) => {
    const query = RecommendationsQuery.safeParse(c.req.query());
    if (!query.success) {
      return apiError(c, 400, "invalid_query", z.prettifyError(query.error));
    }
    const q = query.data;
    if (q.price_min !== undefined && q.price_max !== undefined && q.price_min > q.price_max) {
      return apiError(c, 400, "invalid_query", "price_min must not exceed price_max");
    }
    const answer = await recommend(
      {
        userId: q.user_id,
        surface: q.surface,
        ...(q.k === undefined ? {} : { k: q.k }),
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
        release: releaseLoaders(c),
        log: (record) => logRecommendation(c, record),
        timer: spanTimer(c),
        nowMs: Date.now,
      },
    );
    return c.json(answer);
  });
}

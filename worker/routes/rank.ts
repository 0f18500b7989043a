import { OpenAPIHono } from "@hono/zod-openapi";
import { endTime, startTime } from "hono/timing";
import { FeatureShapeError, rankResponse } from "../../models/bandit/index.ts";
import { RankRequest, RankResponse } from "../../models/contracts/index.ts";
import { apiError } from "../http/api-error.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { currentManifest } from "../http/edge-loaders.ts";
import { readJsonBody } from "../http/json-body.ts";
import { learningShipOptions } from "../http/learning-ship-options.ts";
import { documentRoute, errorResponse, jsonBody, jsonResponse } from "../http/openapi-route.ts";
import { edgeRank } from "../learning/edge-rank.ts";
import { notShippable, shipLearningLogs } from "../learning/learning-log.ts";
import type { LoadedPolicies } from "../learning/policy-cache.ts";
import { findSurface, publishedSurfaces } from "../store/published-surfaces.ts";

/** Candidate actions with named features or vectors make bodies larger than other requests. */
const maxBodyBytes = 1024 * 1024;

/**
 * POST /rank: a context and candidate actions in; the ranking, a decision_id to reward, and each shown
 * slot's propensity out (docs/learning-loop.md). The surface's published bandit policy decides (or its
 * experiment arm's); before one is published, a uniform random ranking (`cold_start`). The decision is
 * logged to the origin after the answer; when this edge cannot log, the answer says so in
 * `degraded_causes`, as a reward for it could never be joined.
 */
export function rankRoutes() {
  return documentRoute(new OpenAPIHono<EdgeContext>(), {
    method: "post",
    path: "/rank",
    operationId: "rank",
    summary: "Rank candidate actions with the surface's bandit policy",
    description:
      "A context and candidate actions in; the ranking, a decision_id to reward, and each shown slot's propensity out (docs/learning-loop.md).",
    request: { body: jsonBody(RankRequest) },
    responses: {
      200: jsonResponse("The ranking and its decision_id", RankResponse),
      400: errorResponse("Malformed JSON, an unknown surface or a feature of the wrong shape"),
      413: errorResponse("A body over 1 MiB"),
    },
  }).post("/rank", async (c) => {
    const request = await readJsonBody(c, RankRequest, maxBodyBytes);
    const { state } = c.var;
    const manifest = await currentManifest(c);
    const surfaces = publishedSurfaces(manifest);
    const surface = findSurface(surfaces, request.context.surface);
    if (!surface) {
      return apiError(
        c,
        400,
        "unknown_surface",
        `no surface '${request.context.surface}'; published surfaces: ${Object.keys(surfaces).join(", ")}`,
      );
    }

    startTime(c, "policy");
    let policies: LoadedPolicies | null = null;
    let policiesError: string | null = null;
    try {
      policies = await state.policies.forManifest(c.env.MODELS, manifest);
    } catch (error) {
      policiesError = `the published bandit policies cannot be read (${error instanceof Error ? error.message : String(error)}); ranking at random`;
      console.error(policiesError);
    }
    endTime(c, "policy");

    startTime(c, "rank");
    let ranked: ReturnType<typeof edgeRank>;
    try {
      ranked = edgeRank({
        request,
        surface,
        policies,
        policiesError,
        decisionId: crypto.randomUUID(),
        nowMs: Date.now(),
      });
    } catch (error) {
      if (error instanceof FeatureShapeError) {
        return apiError(c, 400, "invalid_actions", error.message);
      }
      throw error;
    } finally {
      endTime(c, "rank");
    }

    const ship = learningShipOptions(c);
    const problem = notShippable(ship);
    if (problem === null) {
      // After the answer: logging must not add to the ranking's latency. A decision lost here makes its
      // rewards unknown at the origin, where they are held and then dropped (docs/learning-loop.md).
      c.executionCtx.waitUntil(
        shipLearningLogs([{ log: "decision", record: ranked.decision }], ship).catch((error: unknown) =>
          console.error(
            `decision ${ranked.decision.decision_id} not logged: ${error instanceof Error ? error.message : error}`,
          ),
        ),
      );
    } else {
      ranked.degradedCauses.push({
        code: "decision_not_logged",
        message: `this edge does not log decisions, so rewards for this one cannot be learned from: ${problem}`,
      });
    }
    return c.json({
      ...rankResponse(ranked.decision),
      cold_start: ranked.coldStart,
      degraded: ranked.degradedCauses.length > 0,
      degraded_causes: ranked.degradedCauses,
    });
  });
}

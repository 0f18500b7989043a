/**
 * GET /recommendations as one flow, free of HTTP: pin a release → the surface and its serving arm → the
 * pool to rank → decide → explore → log the decision → the answer. The route parses the query and answers;
 * everything the flow reads arrives through `ReleaseLoaders`, and the decision record leaves through `log`,
 * so Node tests run it whole with in-memory loaders.
 */
import { ApiError, type DecisionRecord, type ExperimentRef } from "../../models/contracts/index.ts";
import { type DecidedItem, type Decision, decide, type RequestFilters } from "../decision/index.ts";
import { servingArm } from "../learning/serving-arm.ts";
import type { SpanTimer } from "../runtime/span-timer.ts";
import { findSurface, publishedSurfaces } from "../store/published-surfaces.ts";
import { recommendationRecord } from "./decision-record.ts";
import { explorationPool, exploreRanking } from "./exploration.ts";
import { pinRelease, type ReleaseLoaders } from "./pinned-release.ts";

export interface RecommendRequest {
  userId: string;
  surface: string;
  /** Clamped to the surface's [1, k.max] (clampK); the surface's default when absent. */
  k?: number;
  filters: RequestFilters;
  /** Items never to return (the product on its page, the cart's content). */
  excludeItems?: readonly string[];
  explain: boolean;
}

export interface RecommendDeps {
  release: ReleaseLoaders;
  /** Ships the decision record after the answer (null: nothing was shown, so nothing can be rewarded). */
  log(record: DecisionRecord | null): void;
  timer: SpanTimer;
  nowMs(): number;
}

export interface Recommendation extends Omit<Decision, "items"> {
  user_id: string;
  /** What is shown, in order. */
  items: DecidedItem[];
  /** Per shown item, the logging propensity of its slot. */
  propensities: number[];
  experiment: ExperimentRef | null;
}

/** The answer for one request; an unknown surface is an ApiError (400 unknown_surface). */
export async function recommend(request: RecommendRequest, deps: RecommendDeps): Promise<Recommendation> {
  // One release for the whole answer: manifest, catalogue and the user's features of the same version.
  const { manifest, catalog: loaded, user } = await pinRelease(deps.release, request.userId);
  const surfaces = publishedSurfaces(manifest);
  const surface = findSurface(surfaces, request.surface);
  if (!surface) {
    throw new ApiError(
      400,
      "unknown_surface",
      `no surface '${request.surface}'; published surfaces: ${Object.keys(surfaces).join(", ")}`,
    );
  }

  const arm = servingArm(surface, request.userId);
  const asked = explorationPool(surface, request.k, arm.exploration);
  deps.timer.start("decide");
  const decision = await decide(
    {
      k: asked.engineK,
      filters: request.filters,
      ...(request.excludeItems ? { excludeItems: request.excludeItems } : {}),
      explain: request.explain,
    },
    {
      catalog: loaded?.catalog ?? null,
      user,
      surface: asked.surface,
      candidates: loaded?.candidates ?? null,
    },
  );
  deps.timer.end("decide");
  if (manifest) {
    decision.model_versions.manifest = String(manifest.version);
  }
  const shown = exploreRanking(decision.items, asked.shownK, arm.exploration, decision.decision_id);
  deps.log(
    recommendationRecord({
      decisionId: decision.decision_id,
      nowMs: deps.nowMs(),
      surface: surface.name,
      userId: request.userId,
      // The engine's behaviour is fixed by the manifest: its catalogue, models and surfaces.
      policy: { id: arm.enginePolicyId, version: String(manifest?.version ?? 0) },
      experiment: arm.experiment,
      exploration: arm.exploration,
      pool: decision.items,
      shown,
      coldStart: decision.cold_start,
      degraded: decision.degraded,
    }),
  );
  return {
    user_id: request.userId,
    ...decision,
    items: shown.items,
    propensities: shown.propensities,
    experiment: arm.experiment,
  };
}

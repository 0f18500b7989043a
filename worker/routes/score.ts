import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { ownEntry } from "../../models/own-entry.ts";
import { apiError } from "../http/api-error.ts";
import { UserId } from "../http/client-ids.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { currentManifest, modelSource } from "../http/edge-loaders.ts";
import { documentRoute, errorResponse, jsonResponse } from "../http/openapi-route.ts";
import { spanTimer } from "../http/span-timer.ts";
import { denseInputWidth, runDenseModel } from "../runtime/dense-model.ts";
import { ModelRunError } from "../runtime/model-run.ts";
import { float32InputProblem, nonFiniteOutputProblem } from "./dense-input.ts";
import { requireInputWidth, storedUserVector } from "./stored-user-vector.ts";

const maxFeatures = 4096;

const ScoreQuery = z
  .object({
    model: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, "model must be 1-64 letters, digits, '_', '.' or '-'"),
    user_id: UserId.optional(),
    /** Comma-separated floats: score a given feature vector instead of a stored user's. */
    features: z
      .string()
      .max(maxFeatures * 24)
      .optional(),
  })
  .refine((q) => (q.user_id === undefined) !== (q.features === undefined), {
    message: "give exactly one of user_id or features",
  });

/**
 * GET /score?model=NAME&user_id=ID (or &features=f1,f2,…): runs a dense-input model on one
 * feature vector and returns its outputs. This is the edge's whole path in one route: manifest →
 * model bytes → cached ORT session, and user features from KV.
 */
export function scoreRoutes() {
  return documentRoute(new OpenAPIHono<EdgeContext>(), {
    method: "get",
    path: "/score",
    operationId: "getScore",
    summary: "Run a dense-input model on a stored user's vector or on given features",
    request: { query: ScoreQuery },
    responses: {
      200: jsonResponse("The model's outputs"),
      400: errorResponse(
        "A malformed query or feature list (invalid_query, invalid_features, model_not_dense)",
      ),
      404: errorResponse(
        "No such model, user or feature vector (model_not_found, user_not_found, features_not_found)",
      ),
      422: errorResponse("A vector of the wrong length, or a non-finite value or output"),
      503: errorResponse("The model's bytes are missing, corrupt or cannot be loaded"),
    },
  }).get("/score", async (c) => {
    const query = ScoreQuery.safeParse(c.req.query());
    if (!query.success) {
      return apiError(c, 400, "invalid_query", z.prettifyError(query.error));
    }
    const { model, user_id: userId, features } = query.data;

    const manifest = await currentManifest(c);
    const entry = ownEntry(manifest?.models, model);
    if (!entry) {
      return apiError(c, 404, "model_not_found", `no published model named '${model}'`);
    }
    const width = denseInputWidth(entry);
    if (width === null) {
      return apiError(c, 400, "model_not_dense", `model '${model}' does not take a dense feature vector`);
    }

    let vector: Float32Array;
    if (features !== undefined) {
      const parsed = parseFeatureList(features);
      if (parsed === null) {
        return apiError(c, 400, "invalid_features", "features must be comma-separated finite numbers");
      }
      const problem = float32InputProblem(parsed, "features");
      if (problem) {
        return apiError(c, 400, "invalid_features", problem);
      }
      vector = Float32Array.from(parsed);
    } else {
      vector = await storedUserVector(c, manifest, entry, userId!);
    }
    requireInputWidth(entry, width, vector);

    try {
      const result = await runDenseModel(modelSource(c), spanTimer(c), entry, vector, 1);
      const outputProblem = nonFiniteOutputProblem(entry.name, result.values);
      if (outputProblem) {
        return apiError(c, 422, "output_not_finite", outputProblem);
      }
      return c.json({
        model: entry.name,
        version: entry.version,
        ...(userId === undefined ? {} : { user_id: userId }),
        output: result.output,
        scores: Array.from(result.values),
      });
    } catch (error) {
      if (!(error instanceof ModelRunError)) {
        throw error;
      }
      c.header("Retry-After", "30");
      return apiError(c, 503, error.code, error.message);
    }
  });
}

function parseFeatureList(text: string): number[] | null {
  const parts = text.split(",");
  if (parts.length > maxFeatures) {
    return null;
  }
  const values = parts.map((part) => (part.trim() === "" ? Number.NaN : Number(part)));
  return values.every(Number.isFinite) ? values : null;
}

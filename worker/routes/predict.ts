import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { MODEL_NAMES, type ModelEntry } from "../../models/contracts/index.ts";
import { encodedWidth, encodeRowInto, tabularRowProblem } from "../../models/features/index.ts";
import { ownEntry } from "../../models/own-entry.ts";
import { apiError } from "../http/api-error.ts";
import { UserId } from "../http/client-ids.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { currentManifest, modelSource } from "../http/edge-loaders.ts";
import { readJsonBody } from "../http/json-body.ts";
import { documentRoute, errorResponse, jsonBody, jsonResponse } from "../http/openapi-route.ts";
import { spanTimer } from "../http/span-timer.ts";
import { denseInputWidth, runDenseModel } from "../runtime/dense-model.ts";
import { ModelRunError } from "../runtime/model-run.ts";
import { float32InputProblem, nonFiniteOutputProblem } from "./dense-input.ts";
import { requireInputWidth, storedUserVector } from "./stored-user-vector.ts";

/** The manifest's name for the behaviour (purchase or churn probability) model. */
export const behaviourModelName = MODEL_NAMES.behaviour;

const attributeValue = z.union([z.string().max(256), z.number().finite(), z.boolean(), z.null()]);

const PredictRequest = z
  .object({
    model: z
      .string()
      .regex(/^[A-Za-z0-9_.-]{1,64}$/)
      .default(behaviourModelName),
    /** A stored user: their feature vector for this model. */
    user_id: UserId.optional(),
    /** Raw attributes (e.g. tenure, contract), encoded by the model's published tabular encoder. */
    features: z
      .unknown()
      // JSON.parse makes "__proto__" an own key, which a record schema would silently drop.
      .refine(
        (value) => typeof value !== "object" || value === null || !Object.hasOwn(value, "__proto__"),
        "'__proto__' is not an attribute any model takes",
      )
      .pipe(z.record(z.string().max(64), attributeValue))
      .optional(),
    /** An already encoded vector of the model's input width. */
    vector: z.array(z.number().finite()).max(4096).optional(),
  })
  .refine((r) => [r.user_id, r.features, r.vector].filter((v) => v !== undefined).length === 1, {
    message: "give exactly one of user_id, features or vector",
  });

/**
 * POST /predict: the behaviour model's probability (purchase or churn) for a stored user, for raw
 * attributes, or for an encoded vector. A missing or broken model answers `degraded` with the
 * training base rate when the manifest records one, never a 5xx.
 */
export function predictRoutes() {
  return documentRoute(new OpenAPIHono<EdgeContext>(), {
    method: "post",
    path: "/predict",
    operationId: "predict",
    summary: "The behaviour model's probability for a user, raw attributes or a vector",
    request: { body: jsonBody(PredictRequest) },
    responses: {
      200: jsonResponse(
        "The probability, or the training base rate flagged `degraded` when the model is missing",
      ),
      400: errorResponse(
        "Malformed JSON, not exactly one input, an unknown or mistyped attribute (invalid_features)",
      ),
      413: errorResponse("A body over 64 KiB"),
      422: errorResponse("A vector of the wrong length, or a non-finite output (output_not_finite)"),
    },
  }).post("/predict", async (c) => {
    const request = await readJsonBody(c, PredictRequest, 64 * 1024);
    // A vector no float32 can hold is refused whatever is published: the request itself is wrong.
    const vectorProblem = request.vector ? float32InputProblem(request.vector, "vector") : null;
    if (vectorProblem) {
      return apiError(c, 400, "invalid_vector", vectorProblem);
    }
    const manifest = await currentManifest(c);
    const entry = ownEntry(manifest?.models, request.model);
    const width = entry ? denseInputWidth(entry) : null;
    if (!entry || width === null) {
      return c.json(degraded(request.model, entry, `no dense model named '${request.model}' is published`));
    }

    let vector: Float32Array;
    if (request.vector) {
      vector = Float32Array.from(request.vector);
    } else if (request.features) {
      if (entry.preprocessing?.kind !== "tabular") {
        return apiError(
          c,
          400,
          "features_not_supported",
          `model '${entry.name}' publishes no tabular encoder`,
        );
      }
      const spec = entry.preprocessing.spec;
      const problem = tabularRowProblem(spec, request.features);
      if (problem) {
        return apiError(c, 400, "invalid_features", problem);
      }
      vector = new Float32Array(encodedWidth(spec));
      encodeRowInto(spec, request.features, vector, 0);
    } else {
      vector = await storedUserVector(c, manifest, entry, request.user_id!);
    }
    requireInputWidth(entry, width, vector);
    try {
      const { values } = await runDenseModel(modelSource(c), spanTimer(c), entry, vector, 1);
      const outputProblem = nonFiniteOutputProblem(entry.name, values);
      if (outputProblem) {
        return apiError(c, 422, "output_not_finite", outputProblem);
      }
      return c.json({
        model: entry.name,
        version: entry.version,
        ...(request.user_id ? { user_id: request.user_id } : {}),
        score: values[values.length - 1]!,
        degraded: false,
      });
    } catch (error) {
      if (!(error instanceof ModelRunError)) {
        throw error;
      }
      return c.json(degraded(entry.name, entry, error.message));
    }
  });
}

function degraded(name: string, entry: ModelEntry | undefined, message: string) {
  const baseRate = entry?.metrics.base_rate;
  return {
    model: name,
    version: entry?.version ?? null,
    score: baseRate ?? null,
    degraded: true,
    degraded_causes: [
      {
        code: "behaviour_model_unavailable",
        message: baseRate === undefined ? message : `${message}; answering the training base rate`,
      },
    ],
  };
}

import { OpenAPIHono } from "@hono/zod-openapi";
import { z } from "zod";
import { ownEntry } from "../../models/own-entry.ts";
import { extractTextFeatures, lexiconComparative, scoreLexicon, tokenize } from "../../models/text/index.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { currentManifest, modelSource } from "../http/edge-loaders.ts";
import { readJsonBody } from "../http/json-body.ts";
import { documentRoute, errorResponse, jsonBody, jsonResponse } from "../http/openapi-route.ts";
import { spanTimer } from "../http/span-timer.ts";
import { ModelRunError } from "../runtime/model-run.ts";
import { isSparseInputModel, runSparseModel } from "../runtime/sparse-model.ts";

/** The manifest's name for the sentiment model. */
export const sentimentModelName = "sentiment";

const SentimentRequest = z.object({
  text: z.string().trim().min(1, "text must not be empty").max(10_000, "text is at most 10,000 characters"),
});

/**
 * POST /analyze-sentiment {"text": …} → label, score (the probability the text is positive) and
 * the model version. The text is hashed into n-gram features by the same code the trainer used
 * (models/text), with the spec published in the manifest, and its few hundred (index, value) pairs go
 * to the sparse graph as they are. Without a usable model it answers from the AFINN lexicon and says
 * so (`degraded`), rather than failing.
 */
export function sentimentRoutes() {
  return documentRoute(new OpenAPIHono<EdgeContext>(), {
    method: "post",
    path: "/analyze-sentiment",
    operationId: "analyzeSentiment",
    summary: "Sentiment of a text",
    description:
      "The published sentiment model's probability that the text is positive; without a usable model, the AFINN-165 lexicon's answer flagged `degraded`. Bodies up to 64 KiB.",
    request: { body: jsonBody(SentimentRequest) },
    responses: {
      200: jsonResponse("The label and score"),
      400: errorResponse("Malformed JSON or an empty text"),
      413: errorResponse("A body over 64 KiB"),
    },
  }).post("/analyze-sentiment", async (c) => {
    const body = await readJsonBody(c, SentimentRequest, 64 * 1024);
    const { text } = body;
    const manifest = await currentManifest(c);
    const entry = ownEntry(manifest?.models, sentimentModelName);
    const preprocessing = entry?.preprocessing;
    let cause = "no sentiment model is published";
    if (entry && preprocessing?.kind === "text-features" && isSparseInputModel(entry)) {
      try {
        const features = extractTextFeatures(text, preprocessing.spec);
        const { values } = await runSparseModel(modelSource(c), spanTimer(c), entry, features);
        const score = values[0]!;
        return c.json({
          label: score >= 0.5 ? "positive" : "negative",
          score,
          model: entry.name,
          version: entry.version,
          degraded: false,
        });
      } catch (error) {
        if (!(error instanceof ModelRunError)) {
          throw error;
        }
        cause = error.message;
      }
    } else if (preprocessing?.kind === "text-hash") {
      // Earlier releases published n-gram counts for a dense input, which no edge computes any more.
      cause =
        "the published sentiment model uses the retired text-hash features; retrain and publish to serve it";
    } else if (preprocessing?.kind === "text-features") {
      cause = "the published sentiment model does not take sparse text features";
    } else if (entry) {
      cause = "the published sentiment model has no text features";
    }
    // The lexicon's comparative score lies in about [-5, 5]; squash it to a [0, 1] score.
    const comparative = lexiconComparative(scoreLexicon(tokenize(text)));
    const score = 1 / (1 + Math.exp(-comparative));
    return c.json({
      label: comparative > 0 ? "positive" : comparative < 0 ? "negative" : "neutral",
      score,
      model: "afinn-165-lexicon",
      version: "2.0.2",
      degraded: true,
      degraded_causes: [{ code: "sentiment_model_unavailable", message: cause }],
    });
  });
}

/** Response bodies of the origin's routes, for validation in tests and the OpenAPI document. */
import { z } from "@hono/zod-openapi";
import { ApiErrorBody } from "../../../models/contracts/index.ts";

// Rebuilt from the contract's fields with the OpenAPI-extended zod, which alone carries .openapi().
export const ErrorBody = z.object(ApiErrorBody.shape).openapi("Error", {
  description:
    "Why the request was refused: a stable code for programs (API_ERROR_CODES), a sentence for people.",
});

export const BatchResultBody = z
  .object({
    batch_id: z.string().uuid(),
    received: z.number().int(),
    stored: z.number().int().openapi({ description: "Records written by this request." }),
    duplicates: z.array(z.object({ index: z.number().int(), event_id: z.string() })).openapi({
      description: "Records whose event_id was already stored, or repeated earlier in this batch.",
    }),
    rejected: z
      .array(
        z.object({
          index: z.number().int(),
          event_id: z.string().nullable(),
          line: z.number().int().optional().openapi({ description: "NDJSON line number (1-based)." }),
          error: z.string(),
        }),
      )
      .openapi({ description: "Records that failed validation; the others were stored." }),
    message: z.string(),
  })
  .openapi("BatchResult");

export const LearningBatchResultBody = z
  .object({
    batch_id: z.string().uuid(),
    received: z.number().int(),
    stored: z.number().int().openapi({ description: "Records written by this request." }),
    duplicates: z
      .array(z.object({ index: z.number().int(), decision_id: z.string(), event_id: z.string().optional() }))
      .openapi({ description: "Records already stored (or repeated in this batch): retries, kept once." }),
    rejected: z
      .array(
        z.object({
          index: z.number().int(),
          decision_id: z.string().nullable(),
          line: z.number().int().optional(),
          error: z.string(),
        }),
      )
      .openapi({ description: "Records that failed validation; the others were stored." }),
    message: z.string(),
  })
  .openapi("LearningBatchResult");

export const HealthBody = z
  .object({
    status: z.enum(["ok", "degraded"]),
    event_store: z.string(),
    raw_store: z.string(),
    message: z.string().optional(),
  })
  .openapi("Health");

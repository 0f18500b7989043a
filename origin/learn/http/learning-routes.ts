/**
 * The learning loop's origin API: the edge's decision and reward logs in (batched, idempotent, with the
 * events endpoint's auth, limits and answer shape), and per-arm experiment results out.
 */
import { type OpenAPIHono, z } from "@hono/zod-openapi";
import {
  ApiError,
  DECISION_LIMITS,
  DecisionRecord,
  ExperimentRef,
  ORIGIN_BATCH_PATHS,
  RewardRecord,
} from "../../../models/contracts/index.ts";
import { armResults } from "../../../models/experiments/index.ts";
import {
  type BodyLimits,
  batchFormat,
  ErrorBody,
  LearningBatchResultBody,
  parseBatch,
  readBodyText,
  requireApiKey,
} from "../../ingest/index.ts";
import type { LearningStore } from "../index.ts";
import { learningBatch } from "./learning-batch.ts";

export interface LearningRouteDeps {
  learningStore: LearningStore;
  ingest: BodyLimits & { apiKey: string; maxEventsPerBatch: number };
}

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBody } },
});

function documentBatch(
  app: OpenAPIHono,
  path: string,
  what: string,
  schema: z.ZodType,
  key: string,
  operationId: string,
) {
  app.openAPIRegistry.registerPath({
    method: "post",
    path,
    operationId,
    summary: `Store a batch of ${what} logged by the edge`,
    description: `A JSON array or NDJSON, optionally gzip-encoded. Idempotent by ${key}: a record already stored is reported as a duplicate. Invalid records are reported by index and the valid ones stored. Same key as POST /v1/events/batch.`,
    security: [{ ingestKey: [] }],
    request: { body: { required: true, content: { "application/json": { schema: z.array(schema) } } } },
    responses: {
      200: {
        description: "Batch processed",
        content: { "application/json": { schema: LearningBatchResultBody } },
      },
      400: errorResponse("Body not parseable at all"),
      401: errorResponse("Missing or wrong key"),
      408: errorResponse("The body did not arrive within REQUEST_TIMEOUT_SECONDS"),
      413: errorResponse("Body or record count over the limit"),
      415: errorResponse("Content-Type or Content-Encoding not supported"),
      422: {
        description: "Every record failed validation; nothing stored",
        content: { "application/json": { schema: LearningBatchResultBody } },
      },
      503: errorResponse("The store failed; the batch can be sent again as is"),
    },
  });
}

export function registerLearningRoutes(app: OpenAPIHono, deps: LearningRouteDeps): void {
  const { learningStore: store, ingest } = deps;
  const auth = requireApiKey(ingest.apiKey);
  const batchRoute = <T extends { decision_id: string; event_id?: string }>(
    path: string,
    schema: z.ZodType<T>,
    save: (records: T[]) => ReturnType<LearningStore["insertDecisions"]>,
    what: "decisions" | "rewards",
  ) =>
    app.post(path, auth, async (c) => {
      const format = batchFormat(c.req.header("content-type"));
      const records = parseBatch(await readBodyText(c.req.raw, ingest), format);
      const outcome = await learningBatch(records, schema, save, ingest.maxEventsPerBatch, what);
      return c.json(outcome.body, outcome.status);
    });

  const { decision, reward } = ORIGIN_BATCH_PATHS;
  documentBatch(app, decision, "decision records", DecisionRecord, "decision_id", "ingestDecisionsBatch");
  batchRoute(decision, DecisionRecord, (records) => store.insertDecisions(records), "decisions");
  documentBatch(app, reward, "reward records", RewardRecord, "(decision_id, event_id)", "ingestRewardsBatch");
  batchRoute(reward, RewardRecord, (records) => store.insertRewards(records), "rewards");

  app.openAPIRegistry.registerPath({
    method: "get",
    path: "/v1/experiments/{id}/results",
    operationId: "getExperimentResults",
    summary: "Per-arm results of an experiment, from the joined decision and reward logs",
    description:
      "For each arm: decisions closed by the learning runs, how many got a reward in their window, and the mean top-slot reward with a confidence interval (Wilson for 0/1 rewards, normal otherwise). Decisions still open are counted apart. Same key as POST /v1/events/batch.",
    security: [{ ingestKey: [] }],
    request: {
      params: z.object({ id: z.string() }),
      query: z.object({ confidence: z.string().optional().openapi({ description: "default 0.95" }) }),
    },
    responses: {
      200: { description: "Results per arm" },
      400: errorResponse(
        "An id no decision could carry (empty, over 64 characters, control characters), or confidence outside (0, 1)",
      ),
      401: errorResponse("Missing or wrong key"),
      404: errorResponse("No decision was logged under this experiment"),
    },
  });
  app.get("/v1/experiments/:id/results", auth, async (c) => {
    const experimentId = c.req.param("id");
    const badId = experimentIdProblem(experimentId);
    if (badId !== null) {
      throw new ApiError(400, "invalid_experiment_id", badId);
    }
    const confidence = Number(c.req.query("confidence") ?? 0.95);
    if (!(confidence > 0 && confidence < 1)) {
      throw new ApiError(400, "invalid_confidence", "confidence must lie strictly between 0 and 1");
    }
    const arms = await experimentArms(store, experimentId, confidence);
    if (arms === null) {
      throw new ApiError(
        404,
        "unknown_experiment",
        `no decision was logged under experiment '${experimentId}'`,
      );
    }
    return c.json({ experiment_id: experimentId, confidence, arms });
  });
}

/** An experiment's arms with their reward and confidence interval; null when no decision carries the id. */
export async function experimentArms(store: LearningStore, experimentId: string, confidence: number) {
  const { closed, openByArm } = await store.experimentOutcomes(experimentId);
  if (closed.length === 0 && openByArm.size === 0) {
    return null;
  }
  const results = new Map(armResults(closed, experimentId, { confidence }).map((r) => [r.arm, r]));
  return [...new Set([...results.keys(), ...openByArm.keys()])].sort().map((arm) => {
    const result = results.get(arm);
    return {
      arm,
      decisions: result?.decisions ?? 0,
      rewarded: result?.rewarded ?? 0,
      open: openByArm.get(arm) ?? 0,
      reward: result
        ? {
            mean: result.reward.mean,
            lower: result.reward.lower,
            upper: result.reward.upper,
            standard_error: result.reward.standardError,
            method: result.reward.method,
          }
        : null,
    };
  });
}

const loneSurrogate = /\p{Cs}/u;

/**
 * Why an experiment id can name no logged decision, or null when it can: the id a decision carries
 * (ExperimentRef) and well-formed UTF-16, so the store is never asked about text Postgres refuses (NUL).
 */
function experimentIdProblem(id: string): string | null {
  if (loneSurrogate.test(id)) {
    return "experiment id holds a lone UTF-16 surrogate";
  }
  const parsed = ExperimentRef.shape.id.safeParse(id);
  return parsed.success
    ? null
    : `experiment id must be 1 to ${DECISION_LIMITS.keyChars} characters without control characters`;
}

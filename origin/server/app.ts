/**
 * The origin's HTTP API: health, batch ingestion and its OpenAPI document. Built from its dependencies,
 * so tests drive it with app.request() and no server.
 */
import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  apiErrorBody,
  type ImageUrlRules,
  IngestRecord,
  ORIGIN_BATCH_PATHS,
  recordSchemas,
  type ValueRanges,
} from "../../models/contracts/index.ts";
import {
  BatchResultBody,
  type BodyLimits,
  batchFormat,
  ErrorBody,
  type EventStore,
  HealthBody,
  ingestBatch,
  parseBatch,
  type RawPayloadStore,
  type RunLocks,
  readBodyText,
  requireApiKey,
} from "../ingest/index.ts";
import { type LearningStore, registerLearningRoutes } from "../learn/index.ts";
import { type Logger, originLog } from "../log.ts";
import { registerAdminRoutes } from "./admin/admin-routes.ts";
import type { AdminDeps } from "./admin/overview.ts";
import { answerError } from "./answer-error.ts";
import { registerDashboard } from "./dashboard/dashboard-routes.ts";
import { registerDocsPage } from "./docs-page.ts";
import { registerMetricsRoute } from "./metrics-route.ts";
import { observeRequests } from "./observe-requests.ts";

export interface OriginAppDeps {
  eventStore: EventStore;
  rawStore: RawPayloadStore;
  ingest: BodyLimits & {
    apiKey: string;
    maxEventsPerBatch: number;
    /** Rating scale and price ceiling records are held to; default DEFAULT_VALUE_RANGES. */
    valueRanges?: ValueRanges;
    /** Where items' `file:` image URLs may point (IMAGE_FILE_ROOT); default none, so they are refused. */
    imageUrls?: ImageUrlRules;
  };
  /** Serves the learning loop's routes (decision and reward logs, experiment results) when given. */
  learningStore?: LearningStore;
  /** Where the request lines go; default the process's logger (JSON on stdout). */
  log?: Logger;
  /** When set, GET /metrics needs it as a bearer key (METRICS_API_KEY); else it is open. */
  metricsKey?: string;
  /** With ADMIN_API_KEY: the admin API under /v1/admin and the dashboard at /dashboard. */
  admin?: { key: string; deps: AdminDeps & { locks: RunLocks } };
}

const BATCH_PATH = ORIGIN_BATCH_PATHS.event;

const healthRoute = createRoute({
  method: "get",
  path: "/health",
  operationId: "getHealth",
  summary: "Whether the origin and its event store answer",
  security: [],
  responses: {
    200: { description: "Healthy", content: { "application/json": { schema: HealthBody } } },
    503: {
      description: "The event store does not answer",
      content: { "application/json": { schema: HealthBody } },
    },
  },
});

const errorResponse = (description: string) => ({
  description,
  content: { "application/json": { schema: ErrorBody } },
});

export function createOriginApp(deps: OriginAppDeps): OpenAPIHono {
  const log = deps.log ?? originLog();
  const app = new OpenAPIHono();
  app.use(observeRequests(log));
  registerMetricsRoute(app, deps.metricsKey);

  app.openapi(healthRoute, async (c) => {
    const stores = { event_store: deps.eventStore.backend, raw_store: deps.rawStore.backend };
    try {
      await deps.eventStore.ping();
      return c.json({ status: "ok" as const, ...stores }, 200);
    } catch (error) {
      return c.json({ status: "degraded" as const, ...stores, message: (error as Error).message }, 503);
    }
  });

  // The batch body is parsed by hand (gzip, NDJSON, per-record errors), so the route is documented
  // here rather than validated by the OpenAPI middleware.
  app.openAPIRegistry.registerComponent("securitySchemes", "ingestKey", { type: "http", scheme: "bearer" });
  app.openAPIRegistry.registerPath({
    method: "post",
    path: BATCH_PATH,
    operationId: "ingestEventsBatch",
    summary: "Ingest a batch of events and user/item records",
    description:
      "A JSON array or NDJSON of records, optionally gzip-encoded (Content-Encoding: gzip). Idempotent by " +
      "event_id. Invalid records are reported by index and the valid ones stored. Users and items are " +
      "created on first sight. The key may also be sent as X-API-Key.",
    security: [{ ingestKey: [] }],
    request: {
      body: {
        required: true,
        content: {
          "application/json": { schema: z.array(IngestRecord) },
          "application/x-ndjson": {
            schema: z.string().openapi({ description: "One record (JSON) per line" }),
          },
        },
      },
    },
    responses: {
      200: {
        description: "Batch processed: stored, duplicate and rejected records listed",
        content: { "application/json": { schema: BatchResultBody } },
      },
      400: errorResponse("Body not parseable at all (not JSON, not an array, bad gzip or UTF-8, empty)"),
      401: errorResponse("Missing or wrong ingestion key"),
      413: errorResponse("Body, decompressed body or record count over the limit"),
      415: errorResponse("Content-Type or Content-Encoding not supported"),
      422: {
        description: "Every record failed validation (or was refused by the store); nothing stored",
        content: { "application/json": { schema: BatchResultBody } },
      },
      503: errorResponse("The store could not be reached; the batch can be sent again as is"),
    },
  });

  const ingestDeps = {
    ...deps,
    recordSchema: recordSchemas(deps.ingest.valueRanges, deps.ingest.imageUrls).IngestRecord,
  };
  app.post(BATCH_PATH, requireApiKey(deps.ingest.apiKey), async (c) => {
    const format = batchFormat(c.req.header("content-type"));
    const records = parseBatch(await readBodyText(c.req.raw, deps.ingest), format);
    const outcome = await ingestBatch(records, ingestDeps, deps.ingest.maxEventsPerBatch);
    return c.json(outcome.body, outcome.status);
  });

  if (deps.learningStore) {
    registerLearningRoutes(app, { learningStore: deps.learningStore, ingest: deps.ingest });
  }
  if (deps.admin) {
    registerAdminRoutes(app, deps.admin.key, deps.admin.deps);
    registerDashboard(app);
  }

  app.doc31("/openapi.json", (c) => ({
    openapi: "3.1.0",
    info: {
      title: "Edgewise origin",
      version: "0.1.0",
      description: "Ingestion and administration API of the Edgewise origin (Node).",
      license: { name: "Apache-2.0", identifier: "Apache-2.0" },
    },
    servers: [{ url: new URL(c.req.url).origin, description: "this origin" }],
  }));
  registerDocsPage(app);

  app.notFound((c) => c.json(apiErrorBody("not_found", `no route for ${c.req.method} ${c.req.path}`), 404));
  app.onError((error, c) => answerError(error, c, log));
  return app;
}

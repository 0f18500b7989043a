import { OpenAPIHono } from "@hono/zod-openapi";
import { endTime, startTime } from "hono/timing";
import { z } from "zod";
import { InteractionEvent } from "../../models/contracts/index.ts";
import {
  EVENTS_LIMITS,
  eventDefaults,
  eventList,
  forwardDirect,
  originTarget,
  queueBatches,
  validateClientEvents,
} from "../events/index.ts";
import { apiError } from "../http/api-error.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { documentRoute, errorResponse, jsonBody, jsonResponse } from "../http/openapi-route.ts";
import { readBoundedJson } from "../http/read-bounded-json.ts";

/**
 * POST /events: client events (a JSON array, or {"events": [...]}), validated one by one with the
 * origin's contract and forwarded to the origin's ingestion endpoint. With an EVENTS_QUEUE binding the
 * events go through the queue (at least once: the consumer retries until the origin has them);
 * otherwise straight to the origin (ORIGIN_URL) from waitUntil after the answer (at most once). Answers 202
 * with the number accepted and each refused event's index and reason; 422 when none is valid.
 */
export function eventRoutes() {
  return documentRoute(new OpenAPIHono<EdgeContext>(), {
    method: "post",
    path: "/events",
    operationId: "postEvents",
    summary: "Client events, forwarded to the origin",
    description:
      'A JSON array of events, or {"events": [...]}, each checked with the origin\'s contract and forwarded through EVENTS_QUEUE (at least once) or straight to the origin (at most once). Up to 500 events and 1 MiB.',
    request: {
      body: jsonBody(z.union([z.array(InteractionEvent), z.object({ events: z.array(InteractionEvent) })])),
    },
    responses: {
      202: jsonResponse("The number accepted and each refused event's index and reason"),
      400: errorResponse("Malformed JSON"),
      408: errorResponse("The body did not arrive within BODY_TIMEOUT_SECONDS"),
      413: errorResponse("Over 1 MiB or 500 events"),
      422: errorResponse("No event in the batch is valid"),
      503: errorResponse("No origin is configured, or the queue failed"),
    },
  }).post("/events", async (c) => {
    const { settings } = c.var.state;
    const queue = c.env.EVENTS_QUEUE;
    const target = originTarget(settings);
    if (queue === undefined && "missing" in target) {
      return apiError(
        c,
        503,
        "events_not_configured",
        `this edge does not forward events: bind the EVENTS_QUEUE queue, or set ${target.missing.join(" and ")} ` +
          "(see wrangler.toml); the events were not accepted",
      );
    }

    const body = await readBoundedJson(c.req.raw, {
      maxBytes: EVENTS_LIMITS.maxBodyBytes,
      timeoutMs: settings.BODY_TIMEOUT_SECONDS * 1000,
    });
    const items = eventList(body);
    if (typeof items === "string") {
      return apiError(c, 400, "invalid_batch", items);
    }
    if (items.length === 0) {
      return apiError(c, 400, "empty_batch", "the batch holds no events");
    }
    if (items.length > EVENTS_LIMITS.maxEventsPerRequest) {
      return apiError(
        c,
        413,
        "too_many_events",
        `the batch holds ${items.length} events; at most ${EVENTS_LIMITS.maxEventsPerRequest} are accepted per request`,
      );
    }

    const { accepted, rejected } = validateClientEvents(items, eventDefaults(c.req.raw.headers));
    if (accepted.length === 0) {
      const message = "no event in the batch is valid; see rejected for each event's reason";
      return c.json({ accepted: 0, rejected, error: { code: "no_valid_events", message } }, 422);
    }

    if (queue !== undefined) {
      startTime(c, "queue");
      try {
        for (const batch of queueBatches(accepted)) {
          await queue.sendBatch(batch);
        }
      } catch (error) {
        // Batches sent before the failure are queued; sending the whole request again is safe, as the
        // origin stores each event_id once.
        console.error(`queueing events failed: ${error instanceof Error ? error.message : String(error)}`);
        c.header("Retry-After", "5");
        return apiError(c, 503, "queue_unavailable", "the events could not be queued; send the batch again");
      }
      endTime(c, "queue");
    } else if (!("missing" in target)) {
      c.executionCtx.waitUntil(
        forwardDirect(
          accepted.map((event) => event.record),
          target,
          undefined,
          c.var.requestId,
        ).catch((error: unknown) =>
          // After the answer: a failure here can only be logged (and must not be an unhandled rejection).
          console.error(
            `forwarding events failed: ${error instanceof Error ? error.message : String(error)}`,
          ),
        ),
      );
    }
    return c.json({ accepted: accepted.length, rejected, forwarding: queue ? "queue" : "direct" }, 202);
  });
}

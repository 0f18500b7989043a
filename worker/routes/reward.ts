import { OpenAPIHono } from "@hono/zod-openapi";
import { RewardRequest, rewardRecordFromRequest } from "../../models/contracts/index.ts";
import { apiError } from "../http/api-error.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { readJsonBody } from "../http/json-body.ts";
import { learningShipOptions } from "../http/learning-ship-options.ts";
import { documentRoute, errorResponse, jsonBody, jsonResponse } from "../http/openapi-route.ts";
import { notShippable, shipLearningLogs } from "../learning/learning-log.ts";

/**
 * POST /reward: a decision_id and a reward in [-1, 1] (or per-slot rewards). A malformed or out-of-range
 * reward is refused here with a 400 that names the field; any other is accepted with 202 and logged to
 * the origin, where the join decides what it counts for. The edge cannot tell an unknown decision_id from
 * one whose decision has not reached the origin yet, nor a late or duplicate reward: all get 202, and
 * docs/learning-loop.md says what the join does with each.
 */
export function rewardRoutes() {
  return documentRoute(new OpenAPIHono<EdgeContext>(), {
    method: "post",
    path: "/reward",
    operationId: "reward",
    summary: "Reward a decision",
    description:
      "A decision_id and a reward in [-1, 1], or per-slot rewards. Accepted rewards are logged to the origin, where the join decides what each counts for.",
    request: { body: jsonBody(RewardRequest) },
    responses: {
      202: jsonResponse("Accepted and forwarded"),
      400: errorResponse("Malformed JSON or an out-of-range reward"),
      413: errorResponse("A body over 64 KiB"),
      503: errorResponse("This edge does not forward rewards (rewards_not_configured) or its queue failed"),
    },
  }).post("/reward", async (c) => {
    const ship = learningShipOptions(c);
    const problem = notShippable(ship);
    if (problem !== null) {
      return apiError(
        c,
        503,
        "rewards_not_configured",
        `this edge does not forward rewards: ${problem}; the reward was not accepted`,
      );
    }
    const body = await readJsonBody(c, RewardRequest, 64 * 1024);
    const record = rewardRecordFromRequest(body, Date.now());
    let forwarding: Awaited<ReturnType<typeof shipLearningLogs>>;
    try {
      // Awaited (unlike a decision's): 202 promises the reward is on its way, so it must be queued first.
      forwarding = await shipLearningLogs([{ log: "reward", record }], ship);
    } catch (error) {
      console.error(`queueing a reward failed: ${error instanceof Error ? error.message : String(error)}`);
      c.header("Retry-After", "5");
      return apiError(c, 503, "queue_unavailable", "the reward could not be queued; send it again");
    }
    return c.json(
      { accepted: true, decision_id: record.decision_id, event_id: record.event_id, forwarding },
      202,
    );
  });
}

import type { Context } from "hono";
import { learningTargets, type ShipOptions } from "../learning/learning-log.ts";
import type { EdgeContext } from "./edge-context.ts";

/** Where this request's learning logs go: the bound queue, or the origin from this request's waitUntil. */
export function learningShipOptions(c: Context<EdgeContext>): ShipOptions {
  return {
    queue: c.env.EVENTS_QUEUE,
    targets: learningTargets(c.var.state.settings),
    waitUntil: (promise) => c.executionCtx.waitUntil(promise),
    requestId: c.var.requestId,
  };
}

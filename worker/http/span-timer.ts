import type { Context } from "hono";
import { endTime, startTime } from "hono/timing";
import type { SpanTimer } from "../runtime/span-timer.ts";
import type { EdgeContext } from "./edge-context.ts";

/** The request's Server-Timing as a SpanTimer, for code that takes no Hono context. */
export function spanTimer(c: Context<EdgeContext>): SpanTimer {
  return { start: (name) => startTime(c, name), end: (name) => endTime(c, name) };
}

import type { TimingVariables } from "hono/timing";
import type { EdgeState } from "../isolate/edge-state.ts";
import type { Env } from "../isolate/env.ts";

/** Hono's context types for every edge route: the bindings and the isolate's state. */
export interface EdgeContext {
  Bindings: Env;
  /** `requestId`: this request's id (request-id.ts), passed to the origin with what the request forwards. */
  Variables: TimingVariables & { state: EdgeState; requestId: string };
}

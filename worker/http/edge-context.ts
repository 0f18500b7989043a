import type { TimingVariables } from "hono/timing";
import type { EdgeState } from "../edge-state.ts";
import type { Env } from "../env.ts";

/** Hono's context types for every edge route: the bindings and the isolate's state. */
export interface EdgeContext {
  Bindings: Env;
  Variables: TimingVariables & { state: EdgeState };
}

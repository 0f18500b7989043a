/**
 * Forwarding without a queue: the request's accepted events go to the origin as one batch from
 * waitUntil, after the client has its answer. This is at most once: a few quick retries cover a
 * brief origin hiccup, but events still undelivered when they are spent, or when the isolate is
 * evicted (waitUntil work lasts at most 30 seconds after the response), are lost and only logged.
 * Bind EVENTS_QUEUE for at-least-once delivery; the origin's idempotency by event_id makes the
 * queue's redeliveries harmless.
 */
import type { InteractionEvent } from "../../models/contracts/index.ts";
import { logOutcomes } from "./log-outcomes.ts";
import { type DeliveryOutcome, deliverToOrigin, type OriginTarget } from "./origin-delivery.ts";

export interface DirectForwardOptions {
  /** Pauses before the second, third… attempt; their count is the number of retries. */
  retryDelaysMs: readonly number[];
  /** Per origin request; all attempts together must fit waitUntil's 30 seconds. */
  timeoutMs: number;
}

const defaults: DirectForwardOptions = { retryDelaysMs: [500, 2_000], timeoutMs: 8_000 };

export async function forwardDirect(
  events: readonly InteractionEvent[],
  target: OriginTarget,
  options: DirectForwardOptions = defaults,
): Promise<void> {
  let pending = events;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const outcomes = await deliverToOrigin(pending, target, { timeoutMs: options.timeoutMs });
    const last = attempt >= options.retryDelaysMs.length;
    logOutcomes("events (direct)", pending, outcomes, last ? "lost" : "retrying");
    pending = pending.filter((_, index) => (outcomes[index] as DeliveryOutcome).kind === "retry");
    if (last) {
      return;
    }
    if (pending.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, options.retryDelaysMs[attempt]));
    }
  }
}

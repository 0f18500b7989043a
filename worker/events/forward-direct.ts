/**
 * Forwarding without a queue: the request's accepted events go to the origin as one batch from
 * waitUntil, after the client has its answer. This is at most once: a few quick retries cover a
 * brief origin hiccup, but events still undelivered when they are spent, or when the isolate is
 * evicted (waitUntil work lasts at most 30 seconds after the response), are lost, logged and counted.
 * Events the origin rejects for good are dropped (logged and counted) and never sent again; only the
 * others are retried. Bind EVENTS_QUEUE for at-least-once delivery; the origin's idempotency by
 * event_id makes the queue's redeliveries harmless.
 */
import { eventIdOf } from "../../models/contracts/index.ts";
import { countDelivery } from "./delivery-counts.ts";
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
  records: readonly unknown[],
  target: OriginTarget,
  options: DirectForwardOptions = defaults,
  requestId?: string,
): Promise<void> {
  let pending = records;
  for (let attempt = 0; pending.length > 0; attempt++) {
    const outcomes = await deliverToOrigin(pending, target, {
      timeoutMs: options.timeoutMs,
      ...(requestId === undefined ? {} : { requestId }),
    });
    const last = attempt >= options.retryDelaysMs.length;
    logOutcomes("events (direct)", pending, outcomes, last ? "lost" : "retrying", eventIdOf);
    const retry = pending.filter((_, index) => (outcomes[index] as DeliveryOutcome).kind === "retry");
    countDelivery("events", {
      delivered: outcomes.filter((outcome) => outcome.kind === "delivered").length,
      rejected: outcomes.filter((outcome) => outcome.kind === "rejected").length,
      ...(last ? { lost: retry.length } : { retried: retry.length }),
    });
    pending = retry;
    if (last) {
      return;
    }
    if (pending.length > 0) {
      await new Promise((resolve) => setTimeout(resolve, options.retryDelaysMs[attempt]));
    }
  }
}

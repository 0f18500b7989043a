/**
 * The queue consumer: delivers each batch of queued events to the origin as one ingestion batch and
 * settles every message on its own. Delivered events (stored, or already stored: the origin is
 * idempotent by event_id) are acked; events the origin rejects for good are acked and logged, never
 * retried; the rest (429, 5xx, network errors, a misconfigured edge) are retried with a doubling delay.
 * Delivery is at least once: a message is retried until acked or until the consumer's max_retries,
 * after which the queue drops it, or moves it to the dead-letter queue if one is configured.
 */

import type { Env } from "../env.ts";
import {
  type DeliveryOutcome,
  deliverToOrigin,
  logOutcomes,
  originTarget,
  retryDelaySeconds,
} from "../events/index.ts";
import { settings } from "../settings.ts";

/** A consumer may run for 15 minutes; one slow origin request should not hold a batch that long. */
const originTimeoutMs = 30_000;

export async function handleEventQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = settings(env);
  const target = originTarget(config);
  if ("missing" in target) {
    console.error(
      `events queue ${batch.queue}: cannot forward ${batch.messages.length} event(s): ` +
        `${target.missing.join(" and ")} not set (see wrangler.toml); retrying later`,
    );
    for (const message of batch.messages) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, config.EVENTS_RETRY_BASE_SECONDS) });
    }
    return;
  }

  const deliverable: Message<unknown>[] = [];
  for (const message of batch.messages) {
    if (typeof message.body === "object" && message.body !== null && !Array.isArray(message.body)) {
      deliverable.push(message);
    } else {
      // Only this Worker produces to the queue, and it sends objects; anything else can never be stored.
      console.error(
        `events queue ${batch.queue}: dropping message ${message.id}, whose body is not an event`,
      );
      message.ack();
    }
  }
  if (deliverable.length === 0) {
    return;
  }

  const events = deliverable.map((message) => message.body);
  const outcomes = await deliverToOrigin(events, target, { timeoutMs: originTimeoutMs });
  logOutcomes(`events queue ${batch.queue}`, events, outcomes, "retrying later");
  deliverable.forEach((message, index) => {
    const outcome = outcomes[index] as DeliveryOutcome;
    if (outcome.kind === "retry") {
      const delaySeconds = retryDelaySeconds(
        message.attempts,
        config.EVENTS_RETRY_BASE_SECONDS,
        outcome.retryAfterSeconds,
      );
      message.retry({ delaySeconds });
    } else {
      message.ack();
    }
  });
}

/**
 * The queue consumer: delivers each batch of queued messages to the origin and settles every message on
 * its own. Client events go to the ingestion endpoint as one batch; the learning loop's decision and reward
 * logs (worker/learning/learning-log.ts), which share the queue, go to /v1/decisions/batch and
 * /v1/rewards/batch. Each record is checked against its contract first: one the origin could never
 * store (queued by an older edge, before a rule was added) is acked and logged, never sent, so it can
 * neither poison its batch nor be redelivered forever. Delivered messages (stored, or already stored:
 * every endpoint is idempotent) are acked; messages the origin rejects for good are acked and logged,
 * never retried; the rest (429, 5xx, network errors, a misconfigured edge) are retried with a doubling
 * delay. Delivery is at least once: a
 * message is retried until acked or until the consumer's max_retries, after which the queue drops it, or
 * moves it to the dead-letter queue if one is configured.
 */

import type { z } from "zod";
import { DecisionRecord, describeIssues, IngestRecord, RewardRecord } from "../../models/contracts/index.ts";
import {
  countDelivery,
  type DeliveryOutcome,
  type DeliveryStream,
  deliverToOrigin,
  eventIdOf,
  logOutcomes,
  type OriginTarget,
  originTarget,
  retryDelaySeconds,
} from "../events/index.ts";
import type { Env } from "../isolate/env.ts";
import { settings } from "../isolate/settings.ts";
import { learningLogId, learningTargets } from "../learning/learning-log.ts";

/** A consumer may run for 15 minutes; one slow origin request should not hold a batch that long. */
const originTimeoutMs = 30_000;

type Kind = "event" | "decision" | "reward";

const contracts: Record<Kind, z.ZodType> = {
  event: IngestRecord,
  decision: DecisionRecord,
  reward: RewardRecord,
};
const streams: Record<Kind, DeliveryStream> = { event: "events", decision: "decisions", reward: "rewards" };

interface Group {
  messages: Message<unknown>[];
  records: unknown[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** Client events are queued as they are; learning logs in an envelope `{ log, record }`. */
function classify(body: unknown): { kind: Kind; record: unknown } | null {
  if (!isObject(body)) {
    return null;
  }
  if ((body.log === "decision" || body.log === "reward") && isObject(body.record)) {
    return { kind: body.log, record: body.record };
  }
  return { kind: "event", record: body };
}

export async function handleEventQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = settings(env);
  const groups: Record<Kind, Group> = {
    event: { messages: [], records: [] },
    decision: { messages: [], records: [] },
    reward: { messages: [], records: [] },
  };
  for (const message of batch.messages) {
    const classified = classify(message.body);
    if (classified === null) {
      // Only this Worker produces to the queue, and it sends objects; anything else can never be stored.
      console.error(
        `events queue ${batch.queue}: dropping message ${message.id}, whose body is not an event`,
      );
      message.ack();
      continue;
    }
    const checked = contracts[classified.kind].safeParse(classified.record);
    if (!checked.success) {
      console.warn(
        `events queue ${batch.queue}: dropping ${classified.kind} message ${message.id}, which the origin ` +
          `could never store: ${describeIssues(checked.error)}`,
      );
      countDelivery(streams[classified.kind], { rejected: 1 });
      message.ack();
      continue;
    }
    groups[classified.kind].messages.push(message);
    groups[classified.kind].records.push(classified.record);
  }

  const events = originTarget(config);
  const learning = learningTargets(config);
  const targets: Record<Kind, OriginTarget | { missing: string[] }> = {
    event: events,
    decision: "missing" in learning ? learning : learning.decision,
    reward: "missing" in learning ? learning : learning.reward,
  };
  await Promise.all(
    (["event", "decision", "reward"] as const).map((kind) =>
      deliverGroup(batch.queue, kind, groups[kind], targets[kind], config.EVENTS_RETRY_BASE_SECONDS),
    ),
  );
}

async function deliverGroup(
  queue: string,
  kind: Kind,
  group: Group,
  target: OriginTarget | { missing: string[] },
  retryBaseSeconds: number,
): Promise<void> {
  if (group.messages.length === 0) {
    return;
  }
  const label = `events queue ${queue}${kind === "event" ? "" : ` (${kind}s)`}`;
  if ("missing" in target) {
    console.error(
      `${label}: cannot forward ${group.messages.length} ${kind}(s): ` +
        `${target.missing.join(" and ")} not set (see wrangler.toml); retrying later`,
    );
    for (const message of group.messages) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, retryBaseSeconds) });
    }
    return;
  }
  const outcomes = await deliverToOrigin(group.records, target, {
    timeoutMs: originTimeoutMs,
    // No request is behind a queue batch: its first message's id names it in the origin's log.
    ...(group.messages[0] === undefined ? {} : { requestId: `queue-${group.messages[0].id}` }),
  });
  logOutcomes(label, group.records, outcomes, "retrying later", kind === "event" ? eventIdOf : learningLogId);
  countDelivery(streams[kind], {
    delivered: outcomes.filter((outcome) => outcome.kind === "delivered").length,
    rejected: outcomes.filter((outcome) => outcome.kind === "rejected").length,
    retried: outcomes.filter((outcome) => outcome.kind === "retry").length,
  });
  group.messages.forEach((message, index) => {
    const outcome = outcomes[index] as DeliveryOutcome;
    if (outcome.kind === "retry") {
      message.retry({
        delaySeconds: retryDelaySeconds(message.attempts, retryBaseSeconds, outcome.retryAfterSeconds),
      });
    } else {
      message.ack();
    }
  });
}

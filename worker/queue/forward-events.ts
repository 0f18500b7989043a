/**
 * The queue consumer: delivers each batch of queued messages to the origin and settles every message on
 * its own. Client events arrive packed, many to a message (`{ events: [...] }`, worker/events/
 * queue-batches.ts), or one to a message as edges before packing sent them; every event of the batch
 * goes to the ingestion endpoint in one request (which the origin's 413 halves when the batch is over
 * its limits). The learning loop's decision and reward logs (worker/learning/learning-log.ts), which
 * share the queue, go to /v1/decisions/batch and /v1/rewards/batch. Each record is checked against its
 * contract first: one the origin could never store (queued by an older edge, before a rule was added)
 * is dropped and logged, never sent, so it can neither poison its batch nor be redelivered forever.
 * A message is acked once none of its records is left to retry (each delivered, stored already, or
 * rejected for good and logged); otherwise the whole message is retried with a doubling delay, and its
 * delivered events go again, which the origin's idempotency by event_id makes harmless. Delivery is at
 * least once: a message is retried until acked or until the consumer's max_retries, after which the
 * queue drops it, or moves it to the dead-letter queue if one is configured.
 */

import type { z } from "zod";
import { DecisionRecord, describeIssues, IngestRecord, RewardRecord } from "../../models/contracts/index.ts";
import {
  countDelivery,
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
  /** For each record, the index in `messages` of the message it came in. */
  owners: number[];
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * The records of a message: client events packed as `{ events }` or, from edges before packing, one
 * event as it is; a learning log in its envelope `{ log, record }`.
 */
function unpack(body: unknown): { kind: Kind; records: unknown[] } | null {
  if (!isObject(body)) {
    return null;
  }
  if ((body.log === "decision" || body.log === "reward") && isObject(body.record)) {
    return { kind: body.log, records: [body.record] };
  }
  if (Array.isArray(body.events)) {
    return { kind: "event", records: body.events };
  }
  return { kind: "event", records: [body] };
}

export async function handleEventQueue(batch: MessageBatch<unknown>, env: Env): Promise<void> {
  const config = settings(env);
  const groups: Record<Kind, Group> = {
    event: { messages: [], records: [], owners: [] },
    decision: { messages: [], records: [], owners: [] },
    reward: { messages: [], records: [], owners: [] },
  };
  for (const message of batch.messages) {
    const unpacked = unpack(message.body);
    if (unpacked === null) {
      // Only this Worker produces to the queue, and it sends objects; anything else can never be stored.
      console.error(
        `events queue ${batch.queue}: dropping message ${message.id}, whose body is not an event`,
      );
      message.ack();
      continue;
    }
    const group = groups[unpacked.kind];
    const valid = unpacked.records.filter((record, index) => {
      const checked = contracts[unpacked.kind].safeParse(record);
      if (!checked.success) {
        console.warn(
          `events queue ${batch.queue}: dropping ${unpacked.kind} ${index} of message ${message.id}, which ` +
            `the origin could never store: ${describeIssues(checked.error)}`,
        );
      }
      return checked.success;
    });
    countDelivery(streams[unpacked.kind], { rejected: unpacked.records.length - valid.length });
    if (valid.length === 0) {
      message.ack();
      continue;
    }
    group.messages.push(message);
    for (const record of valid) {
      group.records.push(record);
      group.owners.push(group.messages.length - 1);
    }
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
      `${label}: cannot forward ${group.records.length} ${kind}(s): ` +
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
  // A message waits for the longest Retry-After among its records still to be delivered.
  const retryAfter = new Map<number, number>();
  outcomes.forEach((outcome, index) => {
    if (outcome.kind === "retry") {
      const owner = group.owners[index] as number;
      retryAfter.set(owner, Math.max(retryAfter.get(owner) ?? 0, outcome.retryAfterSeconds ?? 0));
    }
  });
  group.messages.forEach((message, index) => {
    const after = retryAfter.get(index);
    if (after !== undefined) {
      message.retry({ delaySeconds: retryDelaySeconds(message.attempts, retryBaseSeconds, after) });
    } else {
      message.ack();
    }
  });
}

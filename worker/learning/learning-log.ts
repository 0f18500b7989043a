/**
 * Decision and reward logs travel to the origin the way client events do (worker/events/): through
 * EVENTS_QUEUE when it is bound (at least once; the queue consumer batches them), otherwise batched per
 * isolate and posted from waitUntil with bounded retries (worker/learning/log-batcher.ts). They go to
 * the origin's /v1/decisions/batch and /v1/rewards/batch under ORIGIN_URL (ORIGIN_BATCH_PATHS), and both
 * endpoints are idempotent (decision_id; decision_id + event_id), so a redelivery is harmless.
 */
import type { DecisionRecord, RewardRecord } from "../../models/contracts/index.ts";
import { originEndpoint } from "../../models/contracts/index.ts";
import {
  missingOriginSettings,
  type OriginSettings,
  type OriginTarget,
  packSendBatches,
  QUEUE_LIMITS,
} from "../events/index.ts";
import { learningLogBatcher } from "./log-batcher.ts";

/** A queue message of the learning loop; the consumer tells it from a client event by `log`. */
export type LearningLogMessage =
  | { log: "decision"; record: DecisionRecord }
  | { log: "reward"; record: RewardRecord };

export type LearningLogKind = LearningLogMessage["log"];

export type LearningTargets = Record<LearningLogKind, OriginTarget>;

const paths: Record<LearningLogKind, string> = { decision: "decisions/batch", reward: "rewards/batch" };
const eventsSuffix = "/events/batch";

/** The origin's decision and reward endpoints, next to its events endpoint; what is missing otherwise. */
export function learningTargets(settings: OriginSettings): LearningTargets | { missing: string[] } {
  const missing = missingOriginSettings(settings);
  if (missing.length > 0) {
    return { missing };
  }
  const key = settings.ORIGIN_INGEST_KEY;
  if (settings.ORIGIN_URL !== "") {
    return {
      decision: { url: originEndpoint(settings.ORIGIN_URL, "decision"), key },
      reward: { url: originEndpoint(settings.ORIGIN_URL, "reward"), key },
    };
  }
  // Deprecated ORIGIN_INGEST_URL alone: the learning endpoints are its siblings.
  const url = new URL(settings.ORIGIN_INGEST_URL);
  if (!url.pathname.endsWith(eventsSuffix)) {
    return {
      missing: [
        `an ORIGIN_INGEST_URL ending in ${eventsSuffix} (the decision and reward endpoints sit next to it)`,
      ],
    };
  }
  const at = (kind: LearningLogKind) => {
    const sibling = new URL(url);
    sibling.pathname = `${url.pathname.slice(0, -eventsSuffix.length)}/${paths[kind]}`;
    return { url: sibling.toString(), key };
  };
  return { decision: at("decision"), reward: at("reward") };
}

/** A record's id in delivery logs. */
export function learningLogId(record: unknown): string {
  const r = (typeof record === "object" && record !== null ? record : {}) as Record<string, unknown>;
  const decision = typeof r.decision_id === "string" ? r.decision_id : "(no decision_id)";
  return typeof r.event_id === "string" ? `${decision}/${r.event_id}` : decision;
}

export type Forwarding = "queue" | "direct";

/** The part of a Queue binding this uses (typed structurally, so Node tests need no workerd types). */
export interface LearningQueue {
  sendBatch(messages: Iterable<{ body: LearningLogMessage; contentType: "json" }>): Promise<unknown>;
}

export interface ShipOptions {
  queue: LearningQueue | undefined;
  targets: LearningTargets | { missing: string[] };
  waitUntil(promise: Promise<unknown>): void;
  /** The edge request shipping them, named to the origin. */
  requestId?: string;
}

/** Why logs cannot be shipped on this edge, or null when they can. */
export function notShippable(options: Pick<ShipOptions, "queue" | "targets">): string | null {
  if ("missing" in options.targets) {
    // The queue consumer needs the origin's endpoints too, so a bound queue alone is not enough.
    return `set ${options.targets.missing.join(" and ")} (see wrangler.toml)`;
  }
  return null;
}

/**
 * Queues the messages (the returned promise settles when the queue has them) or, without a queue, adds
 * them to the isolate's batch, flushed from waitUntil. A message too large for a queue message (a
 * decision with hundreds of long feature vectors) is posted directly instead. Throws only when queueing fails.
 */
export async function shipLearningLogs(
  messages: readonly LearningLogMessage[],
  options: ShipOptions,
): Promise<Forwarding> {
  const { targets } = options;
  if ("missing" in targets) {
    throw new Error(`learning logs cannot be shipped: ${notShippable(options)}`);
  }
  const direct: LearningLogMessage[] = [];
  if (options.queue === undefined) {
    direct.push(...messages);
  } else {
    for (const batch of sendBatches(messages, direct)) {
      await options.queue.sendBatch(batch);
    }
  }
  for (const kind of ["decision", "reward"] as const) {
    const records = direct.filter((m) => m.log === kind).map((m) => m.record);
    if (records.length > 0) {
      options.waitUntil(
        learningLogBatcher.enqueue(kind, records, targets[kind], learningLogId, options.requestId),
      );
    }
  }
  return options.queue === undefined ? "direct" : "queue";
}

/**
 * Queue send batches under the queue's count and byte limits; messages over the per-message limit go
 * to `tooLarge` instead.
 */
function sendBatches(
  messages: readonly LearningLogMessage[],
  tooLarge: LearningLogMessage[],
): { body: LearningLogMessage; contentType: "json" }[][] {
  const encoder = new TextEncoder();
  const sized: { body: LearningLogMessage; sizeBytes: number }[] = [];
  for (const message of messages) {
    const sizeBytes = encoder.encode(JSON.stringify(message)).byteLength;
    if (sizeBytes + QUEUE_LIMITS.metadataBytesPerMessage > QUEUE_LIMITS.messageBytes) {
      tooLarge.push(message);
    } else {
      sized.push({ body: message, sizeBytes });
    }
  }
  return packSendBatches(sized);
}

import type { InteractionEvent } from "../../models/contracts/index.ts";
import type { AcceptedEvent } from "./client-events.ts";
import { QUEUE_LIMITS } from "./limits.ts";

/** A queue message as sendBatch takes it (structurally a MessageSendRequest). */
export interface EventMessage {
  body: InteractionEvent;
  contentType: "json";
}

/**
 * The accepted events as queue messages (one event per message, so that the consumer acks or retries
 * each on its own), grouped into sendBatch calls under the queue's count and byte limits. Messages are
 * JSON, so their size is the size the edge measured.
 */
export function queueBatches(events: readonly AcceptedEvent[]): EventMessage[][] {
  return packSendBatches(events.map((event) => ({ body: event.record, sizeBytes: event.sizeBytes })));
}

/**
 * Groups JSON messages into sendBatch calls under the queue's count and byte limits (each message's
 * metadata counted too), keeping their order. Every message must already fit the per-message limit.
 */
export function packSendBatches<T>(
  messages: ReadonlyArray<{ body: T; sizeBytes: number }>,
): Array<Array<{ body: T; contentType: "json" }>> {
  const batches: Array<Array<{ body: T; contentType: "json" }>> = [];
  let current: Array<{ body: T; contentType: "json" }> = [];
  let currentBytes = 0;
  for (const message of messages) {
    const bytes = message.sizeBytes + QUEUE_LIMITS.metadataBytesPerMessage;
    if (
      current.length > 0 &&
      (current.length === QUEUE_LIMITS.messagesPerSendBatch ||
        currentBytes + bytes > QUEUE_LIMITS.bytesPerSendBatch)
    ) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push({ body: message.body, contentType: "json" });
    currentBytes += bytes;
  }
  if (current.length > 0) {
    batches.push(current);
  }
  return batches;
}

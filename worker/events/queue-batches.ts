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
  const batches: EventMessage[][] = [];
  let current: EventMessage[] = [];
  let currentBytes = 0;
  for (const event of events) {
    const bytes = event.sizeBytes + QUEUE_LIMITS.metadataBytesPerMessage;
    if (
      current.length > 0 &&
      (current.length === QUEUE_LIMITS.messagesPerSendBatch ||
        currentBytes + bytes > QUEUE_LIMITS.bytesPerSendBatch)
    ) {
      batches.push(current);
      current = [];
      currentBytes = 0;
    }
    current.push({ body: event.record, contentType: "json" });
    currentBytes += bytes;
  }
  if (current.length > 0) {
    batches.push(current);
  }
  return batches;
}

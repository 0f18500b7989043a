import type { InteractionEvent } from "../../models/contracts/index.ts";
import type { AcceptedEvent } from "./client-events.ts";
import { PACKED_ENVELOPE_BYTES, QUEUE_LIMITS } from "./limits.ts";

/**
 * A queue message of client events: consecutive events of one POST /events request, as many as fit the
 * message limit. Each keeps its event_id, so when the consumer retries the whole message the origin
 * stores the events it already has only once. (Edges before packing sent each event as a message of
 * its own; the consumer still reads those.)
 */
export interface PackedEvents {
  events: InteractionEvent[];
}

/** A queue message as sendBatch takes it (structurally a MessageSendRequest). */
export interface EventMessage {
  body: PackedEvents;
  contentType: "json";
}

/**
 * The accepted events packed into queue messages, grouped into sendBatch calls under the queue's count
 * and byte limits.
 */
export function queueBatches(events: readonly AcceptedEvent[]): EventMessage[][] {
  return packSendBatches(packEvents(events));
}

/**
 * Packs events in order into messages whose JSON body, `{"events":[…]}`, holds at most
 * QUEUE_LIMITS.packedMessageBytes. The size is counted exactly from each event's measured UTF-8 JSON
 * size (JSON.stringify joins an array's items with commas), so no message is encoded twice. Every
 * event must be at most EVENTS_LIMITS.maxEventBytes, which makes a message of one event fit.
 */
export function packEvents(
  events: readonly AcceptedEvent[],
): Array<{ body: PackedEvents; sizeBytes: number }> {
  const messages: Array<{ body: PackedEvents; sizeBytes: number }> = [];
  let current: { body: PackedEvents; sizeBytes: number } | null = null;
  for (const event of events) {
    // One comma before each event after the first.
    const added = event.sizeBytes + 1;
    if (current === null || current.sizeBytes + added > QUEUE_LIMITS.packedMessageBytes) {
      current = { body: { events: [event.record] }, sizeBytes: PACKED_ENVELOPE_BYTES + event.sizeBytes };
      messages.push(current);
    } else {
      current.body.events.push(event.record);
      current.sizeBytes += added;
    }
  }
  return messages;
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

/**
 * Validation of the events a client posts to the edge, with the same contract schema the origin's
 * ingestion endpoint uses (models/contracts/event.ts), so that what the edge accepts the origin stores.
 * Each event is judged alone: the valid ones go on, the others are reported by index.
 */
import {
  EVENT_LIMITS,
  type InteractionEvent,
  isInteraction,
  parseIngestRecord,
} from "../../models/contracts/index.ts";
import { EVENTS_LIMITS } from "./limits.ts";
import type { EventDefaults } from "./request-defaults.ts";

export interface AcceptedEvent {
  /** The event as the contract normalises it (ts in epoch milliseconds, unknown fields dropped). */
  record: InteractionEvent;
  /** Its size as UTF-8 JSON, for the queue's message and batch limits. */
  sizeBytes: number;
}

export interface RejectedEvent {
  index: number;
  message: string;
}

/** The events of a body that is an array, or an object with an `events` array; a message otherwise. */
export function eventList(body: unknown): unknown[] | string {
  if (Array.isArray(body)) {
    return body;
  }
  if (isPlainObject(body) && Array.isArray(body.events)) {
    return body.events;
  }
  return 'the body must be a JSON array of events, or an object {"events": [...]}';
}

export function validateClientEvents(
  items: readonly unknown[],
  defaults: EventDefaults,
): { accepted: AcceptedEvent[]; rejected: RejectedEvent[] } {
  const encoder = new TextEncoder();
  const accepted: AcceptedEvent[] = [];
  const rejected: RejectedEvent[] = [];
  items.forEach((item, index) => {
    const problem = precheck(item);
    if (problem !== null) {
      rejected.push({ index, message: problem });
      return;
    }
    // The same judgement as the origin's: nesting of the whole value first, then the schema.
    const parsed = parseIngestRecord(withDefaults(item as Record<string, unknown>, defaults));
    if (!parsed.success) {
      rejected.push({ index, message: parsed.error });
      return;
    }
    const record = parsed.data;
    if (!isInteraction(record)) {
      rejected.push({ index, message: catalogRecordMessage(record.type) });
      return;
    }
    const sizeBytes = encoder.encode(JSON.stringify(record)).byteLength;
    if (sizeBytes > EVENTS_LIMITS.maxEventBytes) {
      rejected.push({
        index,
        message: `the event is ${sizeBytes} bytes as JSON; at most ${EVENTS_LIMITS.maxEventBytes} are accepted`,
      });
      return;
    }
    accepted.push({ record, sizeBytes });
  });
  return { accepted, rejected };
}

/** Problems the schema would report less clearly, or that the edge refuses where the origin would not. */
function precheck(item: unknown): string | null {
  if (!isPlainObject(item)) {
    return "an event must be a JSON object";
  }
  if (item.event_id === undefined) {
    return (
      "event_id is required: the client chooses it (a UUID, say) so that a retried event is stored once, " +
      "whichever path it takes to the origin"
    );
  }
  if (item.type === "user" || item.type === "item") {
    return catalogRecordMessage(item.type);
  }
  return null;
}

/**
 * User and item records rewrite attributes and the catalogue for everyone; they come from data
 * pipelines holding the origin's ingestion key, not from the browsers and apps that hold edge keys.
 */
function catalogRecordMessage(type: string): string {
  return `'${type}' records are not accepted at the edge; send them to the origin's POST /v1/events/batch`;
}

function withDefaults(event: Record<string, unknown>, defaults: EventDefaults): Record<string, unknown> {
  const filled = { ...event };
  if (filled.source === undefined) {
    filled.source = defaults.source;
  }
  if (defaults.device !== undefined) {
    if (filled.context === undefined) {
      filled.context = { device: defaults.device };
    } else if (
      isPlainObject(filled.context) &&
      filled.context.device === undefined &&
      Object.keys(filled.context).length < EVENT_LIMITS.contextKeys
    ) {
      // The key-count check keeps a default from pushing a valid context over the contract's limit.
      filled.context = { ...filled.context, device: defaults.device };
    }
  }
  return filled;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * What this isolate's forwarding did with the records it was given, per stream, since the isolate
 * started: GET /health shows it, so that a record dropped (rejected by the origin for good, or lost
 * after its retries) is counted somewhere a person or a monitor can see, not only in a log line.
 */
export type DeliveryStream = "events" | "decisions" | "rewards";

export interface DeliveryCounts {
  /** Stored by the origin (or already stored: every endpoint is idempotent). */
  delivered: number;
  /** Refused by the contract or by the origin for good, and dropped. */
  rejected: number;
  /** Attempts that failed and will be tried again (a record tried three times counts twice). */
  retried: number;
  /** Given up on after the last retry. */
  lost: number;
}

const zero = (): DeliveryCounts => ({ delivered: 0, rejected: 0, retried: 0, lost: 0 });

const counts: Record<DeliveryStream, DeliveryCounts> = {
  events: zero(),
  decisions: zero(),
  rewards: zero(),
};

export function countDelivery(stream: DeliveryStream, change: Partial<DeliveryCounts>): void {
  const current = counts[stream];
  current.delivered += change.delivered ?? 0;
  current.rejected += change.rejected ?? 0;
  current.retried += change.retried ?? 0;
  current.lost += change.lost ?? 0;
}

/** A copy of the counts so far. */
export function deliveryCounts(): Record<DeliveryStream, DeliveryCounts> {
  return { events: { ...counts.events }, decisions: { ...counts.decisions }, rewards: { ...counts.rewards } };
}

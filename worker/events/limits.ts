/**
 * Bounds of POST /events and of the Cloudflare Queue it feeds.
 *
 * Queue limits as documented on https://developers.cloudflare.com/queues/platform/limits/ (read
 * 2026-11): a message holds at most 128 KB, where 1 KB is 1000 bytes and up to about 100 bytes of
 * internal metadata count towards it; one sendBatch call takes at most 100 messages and 256 KB in
 * total; a consumer batch holds at most 100 messages; delaySeconds (on send or retry) is at most
 * 24 hours; a message is retried at most 100 times.
 */
export const QUEUE_LIMITS = {
  messageBytes: 128_000,
  metadataBytesPerMessage: 100,
  /**
   * The most a packed message's JSON body holds: the message limit less 1,000 bytes, ten times the
   * documented metadata, as slack for how the queue counts a body we measure ourselves.
   */
  packedMessageBytes: 127_000,
  messagesPerSendBatch: 100,
  bytesPerSendBatch: 256_000,
  maxDelaySeconds: 86_400,
} as const;

/** The bytes of a packed message's JSON around its events: `{"events":[]}`. */
export const PACKED_ENVELOPE_BYTES = JSON.stringify({ events: [] }).length;

export const EVENTS_LIMITS = {
  /** Largest request body, 1 MiB: a client with more to say sends several requests. */
  maxBodyBytes: 1024 * 1024,
  /**
   * Most events in one request. Without a queue a request is forwarded to the origin as one batch, so
   * this must stay at or under the origin's INGEST_MAX_EVENTS_PER_BATCH (10,000 by default).
   */
  maxEventsPerRequest: 500,
  /**
   * Largest event as JSON: a packed message of this one event must fit the queue; the same bound holds
   * without a queue so that what the edge accepts does not depend on how it is deployed. Only
   * pathological events (10,000 characters of review text, each escaped as \uXXXX) come near it.
   */
  maxEventBytes: QUEUE_LIMITS.packedMessageBytes - PACKED_ENVELOPE_BYTES,
} as const;

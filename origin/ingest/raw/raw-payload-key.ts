/**
 * The idempotency key of a raw copy, so a batch sent again (a retry after a timeout, a 503, a lost
 * answer) keeps one copy per record on every backend. An accepted record is the same record again when
 * its event_id is (the event store's own rule); any other payload, having no trusted id, when its
 * content as stored is, byte for byte: two identical rejected payloads are kept once (and so are two
 * that differ only below the nesting cut of awkward-json.ts, which no store keeps anyway).
 */
import { createHash } from "node:crypto";
import type { RawPayload } from "./raw-payload-store.ts";

/** `payloadJson` is the payload as the store serialises it (bounded, so stringifying it is safe). */
export function rawPayloadKey(payload: RawPayload, payloadJson: () => string): string {
  if (payload.accepted && payload.eventId !== null) {
    return `accepted:${payload.eventId}`;
  }
  return `received:${createHash("sha256").update(payloadJson()).digest("base64url")}`;
}

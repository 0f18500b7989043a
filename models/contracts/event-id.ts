import { EVENT_LIMITS } from "./event.ts";

/**
 * The `event_id` of a record that may not have parsed, for reports and logs that name a rejected or
 * retried record: null when it has none a client could match (absent, not a string, or too long).
 */
export function eventIdOf(value: unknown): string | null {
  const id =
    typeof value === "object" && value !== null ? (value as { event_id?: unknown }).event_id : undefined;
  return typeof id === "string" && id.length <= EVENT_LIMITS.idChars ? id : null;
}

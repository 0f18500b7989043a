import { createHash } from "node:crypto";

/**
 * A deterministic `event_id` for a row whose source has none: a prefix and 128 bits of the SHA-256 of the
 * fields that make the row this event (type, user, item, time, value), never of where it sits in the file.
 * Importing the same export again, or another export holding the same rows, stores nothing twice; two rows
 * equal in every field are one event.
 */
export function rowEventId(prefix: string, fields: readonly (string | number)[]): string {
  const hash = createHash("sha256");
  for (const field of fields) {
    // The unit separator cannot occur in ids (the contract refuses control characters) nor in numbers.
    hash.update(String(field)).update("\u001f");
  }
  return `${prefix}-${hash.digest("base64url").slice(0, 22)}`;
}

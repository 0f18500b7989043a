/**
 * Field names and strings a store cannot hold as they are. Postgres jsonb cannot hold U+0000 anywhere: the
 * payload is kept with U+FFFD in its place rather than refused, since a raw payload is a record of what
 * arrived, however malformed.
 */
export function replaceNul(value: unknown, inStrings: boolean): unknown {
  if (typeof value === "string") {
    return inStrings ? value.replaceAll("\u0000", "\ufffd") : value;
  }
  if (Array.isArray(value)) {
    return value.map((inner) => replaceNul(inner, inStrings));
  }
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(
      Object.entries(value).map(([key, inner]) => [
        key.replaceAll("\u0000", "\ufffd"),
        replaceNul(inner, inStrings),
      ]),
    );
  }
  return value;
}

/**
 * Whether a field name anywhere in the value is not a plain MongoDB field name: contains U+0000 or ".",
 * or starts with "$". Such payloads are stored as JSON text, so they survive any server version.
 */
export function hasAwkwardKey(value: unknown): boolean {
  if (Array.isArray(value)) {
    return value.some(hasAwkwardKey);
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(
      ([key, inner]) =>
        key.includes("\u0000") || key.includes(".") || key.startsWith("$") || hasAwkwardKey(inner),
    );
  }
  return false;
}

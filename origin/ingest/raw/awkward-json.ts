/**
 * Received payloads in a form each store can hold. A raw payload is a record of what arrived, however
 * malformed, so it is kept rather than refused; what no store can keep as it is changes thus:
 * - nesting: below RAW_PAYLOAD_MAX_DEPTH levels of arrays and objects, a value is replaced by the string
 *   TRUNCATED_MARKER. JSON.parse builds values a million levels deep without complaint, but
 *   JSON.stringify overflows the stack on them, BSON refuses them and jsonb has its own depth limit. The
 *   levels above are kept as they were.
 * - characters (Postgres jsonb only, which holds neither U+0000 nor an unpaired surrogate, in values or in
 *   field names): each such character becomes U+FFFD. MongoDB keeps strings exactly (see mongodb.ts).
 */
import { isStorableText } from "../../../models/contracts/index.ts";

export const RAW_PAYLOAD_MAX_DEPTH = 32;
export const TRUNCATED_MARKER = `[nested deeper than ${RAW_PAYLOAD_MAX_DEPTH} levels: omitted]`;

// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to replace U+0000.
const UNSTORABLE_CHARS = /[\u0000\p{Cs}]/gu;

/** Text jsonb can hold: U+0000 and unpaired surrogates replaced by U+FFFD. */
export function wellFormedText(text: string): string {
  return isStorableText(text) ? text : text.replace(UNSTORABLE_CHARS, "\ufffd");
}

/** Whether `value` is within the depth bound with every string and field name `textOk`: no copy needed. */
function isBounded(value: unknown, textOk: (text: string) => boolean, depth: number): boolean {
  if (typeof value === "string") {
    return textOk(value);
  }
  if (value === null || typeof value !== "object") {
    return true;
  }
  if (depth >= RAW_PAYLOAD_MAX_DEPTH) {
    return false;
  }
  if (Array.isArray(value)) {
    return value.every((inner) => isBounded(inner, textOk, depth + 1));
  }
  for (const [key, inner] of Object.entries(value)) {
    if (!textOk(key) || !isBounded(inner, textOk, depth + 1)) {
      return false;
    }
  }
  return true;
}

/**
 * `value` no deeper than RAW_PAYLOAD_MAX_DEPTH, with every string and field name that `textOk` refuses
 * passed through `fixText`: the value itself when nothing needs changing (nearly every payload), else a
 * copy. Recursive, but never more than RAW_PAYLOAD_MAX_DEPTH + 1 calls deep, whatever the input.
 */
export function boundedCopy(
  value: unknown,
  fixText: (text: string) => string,
  textOk: (text: string) => boolean,
): unknown {
  return isBounded(value, textOk, 0) ? value : copyBounded(value, fixText, 0);
}

function copyBounded(value: unknown, fixText: (text: string) => string, depth: number): unknown {
  if (typeof value === "string") {
    return fixText(value);
  }
  if (value === null || typeof value !== "object") {
    return value;
  }
  if (depth >= RAW_PAYLOAD_MAX_DEPTH) {
    return TRUNCATED_MARKER;
  }
  if (Array.isArray(value)) {
    return value.map((inner) => copyBounded(inner, fixText, depth + 1));
  }
  // fromEntries defines own properties, so a "__proto__" field stays a field.
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [fixText(key), copyBounded(inner, fixText, depth + 1)]),
  );
}

/**
 * Whether a value (already bounded by boundedCopy) cannot be a MongoDB document as it is: a field name
 * with U+0000 or ".", or starting with "$", or any string or field name with an unpaired surrogate (BSON
 * holds UTF-8, which has no encoding for one). Such payloads are stored as JSON text, which keeps them
 * exactly (JSON.stringify writes a lone surrogate as a \uXXXX escape).
 */
export function needsJsonText(value: unknown): boolean {
  if (typeof value === "string") {
    return !isStorableText(value.replaceAll("\u0000", ""));
  }
  if (Array.isArray(value)) {
    return value.some(needsJsonText);
  }
  if (value !== null && typeof value === "object") {
    return Object.entries(value).some(
      ([key, inner]) =>
        !isStorableText(key) || key.includes(".") || key.startsWith("$") || needsJsonText(inner),
    );
  }
  return false;
}

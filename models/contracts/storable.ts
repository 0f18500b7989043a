/**
 * What every store the origin writes to can hold, checked where records enter (the edge's routes and the
 * origin's batch endpoints both parse with the contracts that use these): strings of well-formed UTF-16
 * without NUL (Postgres text and jsonb refuse U+0000 and unpaired surrogates; MongoDB's BSON needs UTF-8),
 * and values nested no deeper than a small bound. A record that breaks these is refused on its own with a
 * message, instead of failing the whole batch in the database.
 */
import { z } from "zod";

/**
 * Either U+0000 or an unpaired surrogate. With the `u` flag a regex reads code points, so `\p{Cs}` never
 * matches the halves of a well-formed pair: only lone ones.
 */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the point is to find U+0000.
const UNSTORABLE_CHAR = /[\u0000\p{Cs}]/u;

/** Whether a string can be stored as it is: well-formed UTF-16, no NUL. */
export function isStorableText(value: string): boolean {
  return !UNSTORABLE_CHAR.test(value);
}

export const STORABLE_TEXT_MESSAGE =
  "must be well-formed UTF-16 without NUL (no \\u0000, no unpaired surrogate such as \\ud800)";

/** A string schema that refuses what no store can hold, with the shared message. */
export function storableString(): z.ZodString {
  return z.string().refine(isStorableText, STORABLE_TEXT_MESSAGE);
}

/**
 * Levels of arrays and objects in `value` (a primitive is 0, `[]` is 1), counted without recursion so a
 * value nested a million levels deep (JSON.parse builds those without complaint) cannot overflow the
 * stack. Stops counting at `limit + 1`: the caller only needs to know it is too deep.
 */
export function nestingDepth(value: unknown, limit: number): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [current, depth] = stack.pop()!;
    if (current === null || typeof current !== "object") {
      continue;
    }
    const here = depth + 1;
    deepest = Math.max(deepest, here);
    if (deepest > limit) {
      return deepest;
    }
    for (const inner of Array.isArray(current) ? current : Object.values(current)) {
      if (inner !== null && typeof inner === "object") {
        stack.push([inner, here]);
      }
    }
  }
  return deepest;
}

/** A record's shape problem before any schema looks at it: too deep to be one of ours. Null when fine. */
export function nestingProblem(value: unknown, maxDepth: number): string | null {
  return nestingDepth(value, maxDepth) > maxDepth
    ? `the record is nested more than ${maxDepth} levels deep; no field of a record needs that`
    : null;
}

/** A finite number within [min, max], with one message naming the field and its range. */
export function boundedNumber(what: string, min: number, max: number): z.ZodNumber {
  const message = `${what} must be a finite number in [${min}, ${max}]`;
  return z.number({ message }).min(min, message).max(max, message);
}

/**
 * zod builds records and catch-all objects by assignment, so an own `__proto__` key of the input (JSON.parse
 * makes one) would set the parsed value's prototype and vanish: the record would be stored as if the key had
 * never been sent. Such a key is refused instead, before the schema sees the value.
 */
export function refusingProtoKey<T extends z.ZodType>(schema: T) {
  return z.preprocess((value, ctx) => {
    if (value !== null && typeof value === "object" && Object.hasOwn(value, "__proto__")) {
      ctx.addIssue({ code: "custom", message: '"__proto__" is not accepted as a key' });
    }
    return value;
  }, schema);
}

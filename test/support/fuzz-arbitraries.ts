/**
 * Building blocks shared by the edge and origin fuzz suites: the run count and seed (FUZZ_RUNS,
 * FUZZ_SEED), hostile strings and numbers, and JSON text that may hold fragments JSON.stringify cannot
 * write (a lone surrogate escape, 1e999, nesting thousands of levels deep).
 */
import fc from "fast-check";

const DEFAULT_SEED = 20_261_201;

/** Generated requests per property: 2,000 in `npm test`, 10,000 in `npm run fuzz`. */
export const FUZZ_RUNS = positiveInteger(process.env.FUZZ_RUNS, 2000);
/** Fixed by default so CI is reproducible; FUZZ_SEED explores elsewhere. */
export const FUZZ_SEED = Number.isInteger(Number(process.env.FUZZ_SEED))
  ? Number(process.env.FUZZ_SEED)
  : DEFAULT_SEED;

/**
 * Time allowed to one property test: a minute, plus 60 ms per run (a run costs 2 to 15 ms here; the
 * margin is for a shared machine and for shrinking a failure).
 */
export const FUZZ_TEST_TIMEOUT_MS = 60_000 + FUZZ_RUNS * 60;

function positiveInteger(text: string | undefined, fallback: number): number {
  const value = Number(text);
  return Number.isInteger(value) && value > 0 ? value : fallback;
}

/** fast-check parameters for one property; the seed is printed so a failure can be replayed. */
export function fuzzParameters(property: string, runs = FUZZ_RUNS): fc.Parameters<unknown> {
  console.log(`fuzz: ${property}: ${runs} runs, FUZZ_SEED=${FUZZ_SEED}`);
  return { numRuns: runs, seed: FUZZ_SEED };
}

/** Names every plain object inherits: looked up carelessly, they find a function, not a value. */
export const PROTOTYPE_NAMES = [
  "__proto__",
  "constructor",
  "toString",
  "hasOwnProperty",
  "valueOf",
  "isPrototypeOf",
  "__defineGetter__",
  "prototype",
] as const;

export const prototypeName = fc.constantFrom(...PROTOTYPE_NAMES);

/** A lone (unpaired) UTF-16 surrogate: not well-formed Unicode, refused by Postgres jsonb. */
export const loneSurrogate = fc
  .integer({ min: 0xd800, max: 0xdfff })
  .map((code) => String.fromCharCode(code));

/** ASCII control characters, NUL included. */
export const controlChar = fc
  .oneof(fc.integer({ min: 0, max: 0x1f }), fc.constant(0x7f))
  .map((code) => String.fromCharCode(code));

/** Text that is well-formed but awkward: emoji (surrogate pairs), RTL marks, escapes, COPY specials. */
export const awkwardText = fc.oneof(
  fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
  fc.constantFrom("😀🎉", "\u202eevil", "tab\tnew\nline", "back\\slash", 'quo"te', "\\N", "日本語", "％00"),
);

/** Well-formed text without control characters: valid wherever an id is. */
export const cleanId = fc
  .string({ unit: "grapheme", minLength: 1, maxLength: 20 })
  // biome-ignore lint/suspicious/noControlCharactersInRegex: ids refuse control characters.
  .filter((text) => /^[^\u0000-\u001f\u007f]+$/.test(text) && text.length <= 128);

/** A string a valid field could not hold under any reading of the contract. */
export const brokenString = fc.oneof(
  fc.tuple(fc.string({ maxLength: 4 }), loneSurrogate, fc.string({ maxLength: 4 })).map((p) => p.join("")),
  fc.tuple(fc.string({ maxLength: 4 }), fc.string({ maxLength: 4 })).map(([a, b]) => `${a}\u0000${b}`),
);

/** Query and path junk: broken and dangerous percent escapes, prototype names, separators. */
export const urlJunk = fc.oneof(
  fc.constantFrom(
    "%00",
    "%ZZ",
    "%",
    "%E0%A4%A",
    "%ud800",
    "%F0%9F",
    "%2F..%2F",
    "..",
    "%3F%23",
    "a%00b",
    "%C0%AF",
  ),
  prototypeName,
  fc.string({ unit: "binary-ascii", maxLength: 16 }).map(encodeURIComponent),
  fc.string({ unit: "grapheme", maxLength: 8 }).map(encodeURIComponent),
  fc.constantFrom("", " ", "+", "&", "=", "#", "a&b=c", "\u00e9"),
);

/** JSON text that is valid JSON but hostile once parsed or stored. */
export class RawJson {
  readonly text: string;
  constructor(text: string) {
    this.text = text;
  }
}

/** Numbers as JSON text: huge, infinite after parsing (1e999), negative zero, tiny, unsafe integers. */
export const hostileNumberText = fc.constantFrom(
  "1e308",
  "-1e308",
  "1e999",
  "-1e999",
  "-0",
  "5e-324",
  "9007199254740993",
  "1.7976931348623157e308",
);
export const hostileNumber = fc.oneof(
  hostileNumberText.map((text) => new RawJson(text)),
  fc.constantFrom("NaN", "Infinity", "-Infinity", "1e999", "0x10"),
);

/** A value nested `depth` levels deep, as JSON text (JSON.stringify itself would overflow on it). */
export function deepJson(depth: number, kind: "array" | "object"): RawJson {
  return kind === "array"
    ? new RawJson(`${"[".repeat(depth)}1${"]".repeat(depth)}`)
    : new RawJson(`${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`);
}

export const deepValue = fc
  .tuple(fc.integer({ min: 5_000, max: 12_000 }), fc.constantFrom("array" as const, "object" as const))
  .map(([depth, kind]) => deepJson(depth, kind));

/**
 * JSON text of a value whose leaves may be RawJson fragments. Strings go through JSON.stringify, which
 * writes a lone surrogate as a `\udxxx` escape: a JSON parser on the other side gets it back unpaired.
 */
export function jsonText(value: unknown): string {
  if (value instanceof RawJson) {
    return value.text;
  }
  if (Array.isArray(value)) {
    return `[${value.map(jsonText).join(",")}]`;
  }
  if (value !== null && typeof value === "object") {
    const fields = Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([key, field]) => `${JSON.stringify(key)}:${jsonText(field)}`);
    return `{${fields.join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** An object with these own properties, `__proto__` included (an object literal would set the prototype). */
export function objectOf(entries: readonly (readonly [string, unknown])[]): Record<string, unknown> {
  return Object.fromEntries(entries);
}

/** Any JSON-ish junk a client might send where an object is expected. */
export const junkValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, 0, -1, "", "record", [], {}),
  hostileNumber,
  deepValue,
  fc.string({ unit: "binary", maxLength: 20 }),
  brokenString,
  fc.array(fc.oneof(fc.integer(), fc.string()), { maxLength: 4 }),
  fc.dictionary(prototypeName, fc.oneof(fc.integer(), fc.string(), fc.constant(null)), { maxKeys: 3 }),
);

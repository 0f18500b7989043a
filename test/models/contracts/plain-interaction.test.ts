/**
 * The import path's check of plain interactions without zod must be the schema's verdict: it accepts
 * exactly the plain records the schema accepts (for the same value ranges), returns what the schema
 * returns, and leaves every other record to the schema.
 */
import { describe, expect, it } from "vitest";
import {
  DEFAULT_VALUE_RANGES,
  EVENT_LIMITS,
  parseIngestRecord,
  plainInteraction,
  recordSchemas,
  type ValueRanges,
  valueRangesOf,
} from "../../../models/contracts/index.ts";
import { mulberry32 } from "../../../models/random.ts";

const ABSENT = Symbol("absent");
const L = EVENT_LIMITS;

const IDS = [
  "e1",
  "",
  "a".repeat(L.idChars),
  "a".repeat(L.idChars + 1),
  "tab\there",
  "del\u007f",
  "lone\ud800",
  "ok😀",
  "nul\u0000",
  'q"\\{,}',
  42,
  null,
];
const TYPES = ["view", "click", "add_to_cart", "purchase", "rating", "review", "user", "item", "VIEW", 3];
const TIMES = [
  1.7e12,
  1.7e12 + 0.5,
  1.7e12 - 0.4,
  L.tsMinMs,
  L.tsMinMs - 1,
  L.tsMinMs - 0.4,
  L.tsMaxMs,
  L.tsMaxMs + 0.4,
  L.tsMaxMs + 1,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "2024-01-01T00:00:00Z",
  1.7e9,
];
const SOURCES = [
  "import",
  "Import",
  "a".repeat(L.sourceChars),
  "a".repeat(L.sourceChars + 1),
  "1abc",
  "web-app_2",
  "",
  5,
];
const VALUES = [
  ABSENT,
  3,
  0,
  -1,
  1,
  5,
  5.5,
  10,
  11,
  L.numberAbsMax,
  -L.numberAbsMax,
  L.numberAbsMax * 1.5,
  Number.NaN,
  Number.POSITIVE_INFINITY,
  "3",
  null,
  undefined,
];
const ITEMS = [ABSENT, ...IDS, undefined];
const EXTRAS: Record<string, unknown>[] = [
  {},
  { context: { surface: "home" } },
  { text: "fine" },
  { extra: 1 },
  JSON.parse('{"__proto__": {"x": 1}}'),
];

function pick<T>(rng: () => number, values: readonly T[]): T {
  return values[Math.floor(rng() * values.length)]!;
}

/** A record built field by field, and whether it is plain (the shape the fast check decides itself). */
function generated(rng: () => number): { record: Record<string, unknown>; plain: boolean } {
  const record: Record<string, unknown> = {
    event_id: rng() < 0.7 ? `e${Math.floor(rng() * 1e6)}` : pick(rng, IDS),
    type: pick(rng, TYPES),
  };
  // Plain records dominate, as in an import; the rest still come often enough to meet every rule.
  record.user_id = rng() < 0.7 ? `u${Math.floor(rng() * 100)}` : pick(rng, IDS);
  const item = rng() < 0.7 ? `i${Math.floor(rng() * 100)}` : pick(rng, ITEMS);
  if (item !== ABSENT) {
    record.item_id = item;
  }
  record.ts = rng() < 0.7 ? 1.7e12 + Math.floor(rng() * 1e9) : pick(rng, TIMES);
  record.source = rng() < 0.8 ? "import" : pick(rng, SOURCES);
  const value = rng() < 0.4 ? ABSENT : pick(rng, VALUES);
  if (value !== ABSENT) {
    record.value = value;
  }
  const extra = rng() < 0.8 ? EXTRAS[0]! : pick(rng, EXTRAS);
  Object.assign(record, extra);
  const plain =
    extra === EXTRAS[0] &&
    ["view", "click", "add_to_cart", "purchase", "rating"].includes(record.type as string) &&
    typeof record.ts === "number" &&
    Object.values(record).every((v) => v !== undefined);
  return { record, plain };
}

describe("plainInteraction, the contract's rules for plain interactions without zod", () => {
  const RANGES: ValueRanges[] = [DEFAULT_VALUE_RANGES, { ratingMin: 1, ratingMax: 5, priceMax: 100 }];

  for (const ranges of RANGES) {
    it(`accepts exactly the plain records the schema accepts, as the schema returns them (ratings ${ranges.ratingMin}–${ranges.ratingMax})`, () => {
      const schema = recordSchemas(ranges).IngestRecord;
      expect(valueRangesOf(schema)).toEqual(ranges);
      const rng = mulberry32(17 + ranges.ratingMax);
      let accepted = 0;
      let refusedPlain = 0;
      for (let n = 0; n < 20_000; n++) {
        const { record, plain } = generated(rng);
        const fast = plainInteraction(record, ranges);
        const parsed = parseIngestRecord(record, schema);
        if (fast !== null) {
          accepted++;
          expect(parsed.success, JSON.stringify(record)).toBe(true);
          // JSON text compares the key order too
          expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.success ? parsed.data : null));
        } else if (plain) {
          expect(parsed.success, `the schema accepts ${JSON.stringify(record)}`).toBe(false);
          refusedPlain++;
        }
      }
      // Both sides of every rule were met, not only the easy one.
      expect(accepted).toBeGreaterThan(1_000);
      expect(refusedPlain).toBeGreaterThan(1_000);
    });
  }

  it("takes a mapped row's record as it is, and leaves review, user and item records to the schema", () => {
    const view = {
      event_id: "row-abc",
      type: "view",
      user_id: "u1",
      item_id: "p1",
      ts: 1.7e12,
      source: "import",
    };
    expect(plainInteraction(view, DEFAULT_VALUE_RANGES)).toEqual(view);
    const review = { ...view, type: "review", text: "good" };
    expect(plainInteraction(review, DEFAULT_VALUE_RANGES)).toBeNull();
    expect(
      plainInteraction(
        { event_id: "x", type: "user", user_id: "u1", ts: 1.7e12, source: "import" },
        DEFAULT_VALUE_RANGES,
      ),
    ).toBeNull();
  });

  it("knows no ranges for a schema recordSchemas did not make", () => {
    const { IngestRecord } = recordSchemas();
    expect(valueRangesOf(IngestRecord.optional() as unknown as typeof IngestRecord)).toBeUndefined();
  });
});

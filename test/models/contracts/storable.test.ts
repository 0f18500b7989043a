import { describe, expect, it } from "vitest";
import {
  DEFAULT_VALUE_RANGES,
  DecisionRecord,
  EVENT_LIMITS,
  IngestRecord,
  isStorableText,
  nestingDepth,
  parseIngestRecord,
  RankRequest,
  recordSchemas,
} from "../../../models/contracts/index.ts";

const base = { event_id: "s-1", user_id: "u-1", source: "web", ts: 1_700_000_000_000 };
const item = { event_id: "s-item", type: "item", item_id: "i-1", ts: base.ts, source: "pos" };

function refusal(input: unknown, schema = IngestRecord): string {
  const result = parseIngestRecord(input, schema);
  if (result.success) {
    throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  }
  return result.error;
}

function nested(depth: number): unknown {
  let value: unknown = 1;
  for (let d = 0; d < depth; d++) {
    value = { a: value };
  }
  return value;
}

describe("the storable-record contract", () => {
  it("tells well-formed text from text with NUL or an unpaired surrogate", () => {
    expect(isStorableText("plain ✓ and a pair \ud83d\ude00")).toBe(true);
    for (const bad of ["\ud800", "x\udc00y", "a\u0000b", "\ude00\ud83d"]) {
      expect(isStorableText(bad)).toBe(false);
    }
  });

  it("refuses a lone surrogate in every kind of string a record carries", () => {
    const lone = "bad\ud800";
    const cases: unknown[] = [
      { ...base, type: "view", user_id: lone },
      { ...base, type: "view", event_id: lone },
      { ...base, type: "click", item_id: lone },
      { ...base, type: "review", item_id: "i", text: lone },
      { ...base, type: "view", context: { surface: lone } },
      { ...base, type: "view", context: { [lone]: 1 } },
      { ...base, type: "view", context: { plan: lone } },
      { ...base, type: "user", attributes: { [lone]: 1 } },
      { ...base, type: "user", attributes: { tags: ["ok", lone] } },
      { ...item, title: lone },
      { ...item, categories: [lone] },
      { ...item, text: lone },
    ];
    for (const record of cases) {
      expect(refusal(record)).toMatch(/well-formed|surrogate/);
    }
  });

  it("counts nesting without recursion, even a million levels deep", () => {
    const deep = JSON.parse(`${"[".repeat(1_000_000)}${"]".repeat(1_000_000)}`);
    expect(nestingDepth(deep, 16)).toBe(17);
    expect(nestingDepth({ a: [1, { b: [] }] }, 16)).toBe(4);
    expect(nestingDepth("text", 16)).toBe(0);
  });

  it("refuses a record nested deeper than the limit, unknown fields included", () => {
    expect(refusal({ ...base, type: "view", extra: nested(5000) })).toMatch(/nested more than/);
    expect(refusal({ ...base, type: "view", context: nested(5000) })).toMatch(/nested more than/);
    const shallow = { ...base, type: "view", extra: nested(EVENT_LIMITS.recordDepth - 1) };
    expect(parseIngestRecord(shallow).success).toBe(true);
  });

  it("bounds prices, rating values and every other number to documented finite ranges", () => {
    expect(refusal({ ...item, price: 1e308 })).toMatch(/^price: price must be a finite number in \[0, /);
    expect(refusal({ ...item, price: -1 })).toMatch(/price/);
    expect(parseIngestRecord({ ...item, price: DEFAULT_VALUE_RANGES.priceMax }).success).toBe(true);
    const rating = { ...base, type: "rating", item_id: "i" };
    for (const value of [1e308, -5, 10.5]) {
      expect(refusal({ ...rating, value })).toMatch(
        /^value: a rating's value must be a finite number in \[0, 10\]/,
      );
    }
    expect(parseIngestRecord({ ...rating, value: 4.5 }).success).toBe(true);
    expect(refusal({ ...base, type: "view", value: 1e308 })).toMatch(/^value: /);
    expect(refusal({ ...base, type: "view", context: { score: 1e300 } })).toMatch(/context/);
    expect(refusal({ ...base, type: "user", attributes: { income: -1e200 } })).toMatch(/attributes/);
  });

  it("lets a business set its own rating scale and price ceiling", () => {
    const { IngestRecord: custom } = recordSchemas({ ratingMin: 1, ratingMax: 100, priceMax: 50 });
    const rating = { ...base, type: "rating", item_id: "i" };
    expect(parseIngestRecord({ ...rating, value: 80 }, custom).success).toBe(true);
    expect(refusal({ ...rating, value: 0.5 }, custom)).toMatch(/\[1, 100\]/);
    expect(refusal({ ...item, price: 51 }, custom)).toMatch(/\[0, 50\]/);
  });

  it("bounds the size of a context and of attributes as JSON", () => {
    const wide = Object.fromEntries(
      Array.from({ length: EVENT_LIMITS.attributeKeys }, (_, k) => [
        `k${k}`,
        Array.from({ length: 8 }, () => "x".repeat(EVENT_LIMITS.featureStringChars)),
      ]),
    );
    expect(refusal({ ...base, type: "user", attributes: wide })).toMatch(/longer than/);
  });

  it("holds decisions and rank requests to the same rules", () => {
    const decision = {
      decision_id: "d-1",
      ts: base.ts,
      surface: "home",
      user_id: "u\ud800",
      policy: { id: "p", version: "1", algorithm: "none" },
      experiment: null,
      context: {},
      actions: [{ id: "a" }],
      ranking: [{ action_id: "a", propensity: 1 }],
    };
    expect(DecisionRecord.safeParse(decision).success).toBe(false);
    expect(DecisionRecord.safeParse({ ...decision, user_id: "u" }).success).toBe(true);
    expect(DecisionRecord.safeParse({ ...decision, user_id: "u", context: { x: 1e300 } }).success).toBe(
      false,
    );
    const request = { context: { surface: "home", features: { plan: "\udfff" } }, actions: [{ id: "a" }] };
    expect(RankRequest.safeParse(request).success).toBe(false);
    const vector = { context: { surface: "home" }, actions: [{ id: "a", vector: [1e308] }] };
    expect(RankRequest.safeParse(vector).success).toBe(false);
  });

  it("refuses a __proto__ key in a context, in attributes and in decision features instead of dropping it", () => {
    // JSON.parse makes "__proto__" an own key; zod would assign it away and store the record without it.
    const context = JSON.parse('{"surface": "home", "__proto__": "x"}');
    expect(refusal({ ...base, type: "view", context })).toMatch(/__proto__/);
    const attributes = JSON.parse('{"plan": "gold", "__proto__": 1}');
    expect(refusal({ ...base, type: "user", attributes })).toMatch(/__proto__/);
    const features = JSON.parse('{"__proto__": 1}');
    const request = { context: { surface: "home", features }, actions: [{ id: "a" }] };
    expect(RankRequest.safeParse(request).success).toBe(false);
    expect(
      parseIngestRecord({ ...base, type: "view", context: { surface: "home", plan: "x" } }).success,
    ).toBe(true);
  });
});

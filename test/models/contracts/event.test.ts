import { describe, expect, it } from "vitest";
import {
  describeIssues,
  EVENT_LIMITS,
  INTERACTION_TYPE_CODE,
  INTERACTION_TYPES,
  IngestRecord,
  InteractionEvent,
} from "../../../models/contracts/index.ts";

const base = { event_id: "e-1", user_id: "u-1", source: "web", ts: 1_700_000_000_000 };

function issues(input: unknown): string {
  const result = IngestRecord.safeParse(input);
  if (result.success) {
    throw new Error(`expected ${JSON.stringify(input)} to be refused`);
  }
  return describeIssues(result.error);
}

describe("ingestion record contract", () => {
  it("normalises ISO-8601 and epoch-millisecond times to epoch milliseconds", () => {
    const iso = IngestRecord.parse({ ...base, type: "view", ts: "2024-01-02T03:04:05.678+01:00" });
    expect(iso.ts).toBe(Date.UTC(2024, 0, 2, 2, 4, 5, 678));
    expect(IngestRecord.parse({ ...base, type: "view" }).ts).toBe(1_700_000_000_000);
  });

  it("rounds fractional milliseconds", () => {
    expect(IngestRecord.parse({ ...base, type: "view", ts: 1_700_000_000_000.6 }).ts).toBe(1_700_000_000_001);
  });

  it("refuses times without a zone, in epoch seconds or out of range", () => {
    expect(issues({ ...base, type: "view", ts: "2024-01-02T03:04:05" })).toMatch(/^ts: /);
    expect(issues({ ...base, type: "view", ts: 1_700_000_000 })).toMatch(/seconds/);
    expect(issues({ ...base, type: "view", ts: 5e12 })).toMatch(/2100/);
    expect(issues({ ...base, type: "view", ts: "2150-01-01T00:00:00Z" })).toMatch(/2100/);
  });

  it("requires what each type needs: an item for clicks, a value for ratings, text for reviews", () => {
    expect(IngestRecord.safeParse({ ...base, type: "view" }).success).toBe(true);
    expect(issues({ ...base, type: "click" })).toMatch(/item_id/);
    expect(issues({ ...base, type: "rating", item_id: "i" })).toMatch(/value/);
    expect(issues({ ...base, type: "review", item_id: "i" })).toMatch(/text/);
    expect(issues({ ...base, type: "teleport" })).toMatch(/^type: /);
  });

  it("bounds every free field", () => {
    const long = (n: number) => "x".repeat(n + 1);
    expect(issues({ ...base, event_id: long(EVENT_LIMITS.idChars), type: "view" })).toMatch(/event_id/);
    expect(
      issues({ ...base, type: "review", item_id: "i", text: long(EVENT_LIMITS.reviewTextChars) }),
    ).toMatch(/text/);
    const manyKeys = Object.fromEntries(
      Array.from({ length: EVENT_LIMITS.contextKeys + 1 }, (_, i) => [`k${i}`, i]),
    );
    expect(issues({ ...base, type: "view", context: manyKeys })).toMatch(/context/);
    expect(issues({ ...base, type: "view", context: { nested: { a: 1 } } })).toMatch(/context.nested/);
    const item = { event_id: "e", type: "item", item_id: "i", ts: base.ts, source: "pos" };
    expect(issues({ ...item, categories: Array(EVENT_LIMITS.categories + 1).fill("c") })).toMatch(
      /categories/,
    );
    expect(issues({ ...item, image_url: "javascript:alert(1)" })).toMatch(/image_url/);
    expect(issues({ ...item, price: -1 })).toMatch(/price/);
  });

  it("refuses what Postgres or MongoDB could not store: control characters in ids, NUL, $ or . in attribute names", () => {
    expect(issues({ ...base, type: "view", user_id: "a\nb" })).toMatch(/control/);
    expect(issues({ ...base, type: "review", item_id: "i", text: "a\u0000b" })).toMatch(/NUL/);
    const user = { event_id: "e", type: "user", user_id: "u", ts: base.ts, source: "app" };
    expect(issues({ ...user, attributes: { $set: 1 } })).toMatch(/attribute names/);
    expect(issues({ ...user, attributes: { "a.b": 1 } })).toMatch(/attribute names/);
    expect(IngestRecord.parse({ ...user, attributes: { plan: "pro", tags: ["a", 2] } }).type).toBe("user");
  });

  it("keeps user and item records out of the interaction schema the edge accepts", () => {
    expect(InteractionEvent.safeParse({ ...base, type: "view" }).success).toBe(true);
    expect(InteractionEvent.safeParse({ ...base, type: "user" }).success).toBe(false);
  });

  it("codes interaction types by their position, for typed-array batches", () => {
    INTERACTION_TYPES.forEach((type, index) => {
      expect(INTERACTION_TYPE_CODE[type]).toBe(index);
    });
  });
});

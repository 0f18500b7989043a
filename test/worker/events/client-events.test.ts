/** Validation of client events at the edge, the defaults it fills in, and their packing into queue batches. */
import { describe, expect, it } from "vitest";
import { EVENT_LIMITS, EventContext, type InteractionEvent } from "../../../models/contracts/index.ts";
import { type AcceptedEvent, eventList, validateClientEvents } from "../../../worker/events/client-events.ts";
import { EVENTS_LIMITS, QUEUE_LIMITS } from "../../../worker/events/limits.ts";
import { queueBatches } from "../../../worker/events/queue-batches.ts";
import { eventDefaults } from "../../../worker/events/request-defaults.ts";

const noDefaults = { source: "edge" };
const view = { event_id: "v1", type: "view", user_id: "u1", ts: "2026-11-01T10:00:00Z", source: "app" };

describe("validateClientEvents", () => {
  it("accepts valid events in the contract's normal form", () => {
    const { accepted, rejected } = validateClientEvents([view], noDefaults);
    expect(rejected).toEqual([]);
    expect(accepted[0]!.record).toEqual({ ...view, ts: Date.parse(view.ts) });
    expect(accepted[0]!.sizeBytes).toBe(
      new TextEncoder().encode(JSON.stringify(accepted[0]!.record)).byteLength,
    );
  });

  it("reports each invalid event by index with its reason", () => {
    const { event_id: _, ...withoutId } = view;
    const { accepted, rejected } = validateClientEvents(
      [
        view,
        withoutId,
        { ...view, event_id: "v2", type: "teleport" },
        { ...view, event_id: "v3", type: "user" },
        null,
        { ...view, event_id: "v4", type: "click" },
      ],
      noDefaults,
    );
    expect(accepted.map((event) => event.record.event_id)).toEqual(["v1"]);
    expect(rejected.map((r) => r.index)).toEqual([1, 2, 3, 4, 5]);
    expect(rejected[0]!.message).toMatch(/^event_id is required/);
    expect(rejected[2]!.message).toContain("POST /v1/events/batch");
    expect(rejected[3]!.message).toBe("an event must be a JSON object");
    expect(rejected[4]!.message).toContain("item_id");
  });

  it("fills source and the device class when absent, and never overrides the client", () => {
    const { source: _, ...noSource } = view;
    const defaults = { source: "web", device: "tablet" };
    const { accepted } = validateClientEvents(
      [noSource, { ...view, event_id: "v2", context: { device: "tv", surface: "home" } }],
      defaults,
    );
    expect(accepted[0]!.record).toMatchObject({ source: "web", context: { device: "tablet" } });
    expect(accepted[1]!.record).toMatchObject({ source: "app", context: { device: "tv", surface: "home" } });
  });

  it("does not let the device default push a full context over the contract's key limit", () => {
    const context = Object.fromEntries(
      Array.from({ length: EVENT_LIMITS.contextKeys }, (_, n) => [`k${n}`, n]),
    );
    const { accepted, rejected } = validateClientEvents([{ ...view, context }], {
      source: "web",
      device: "mobile",
    });
    expect(rejected).toEqual([]);
    expect(accepted[0]!.record.context).toEqual(context);
  });

  it("keeps the largest event the contract allows within one queue message", () => {
    // Worst case per field: control characters (allowed in free text, not in ids) escape to 6 bytes each.
    const escaped = (chars: number) => "\u0001".repeat(chars);
    // As many worst-case entries as the contract's context accepts (its key count, or its size as JSON).
    const context: Record<string, string> = {};
    for (let n = 0; n < EVENT_LIMITS.contextKeys; n++) {
      const key = `${String(n).padStart(2, "0")}${escaped(EVENT_LIMITS.keyChars - 2)}`;
      const larger = { ...context, [key]: escaped(EVENT_LIMITS.featureStringChars) };
      if (!EventContext.safeParse(larger).success) {
        break;
      }
      context[key] = larger[key]!;
    }
    expect(Object.keys(context).length).toBeGreaterThan(0);
    const worst = {
      event_id: "e".repeat(EVENT_LIMITS.idChars),
      type: "review",
      user_id: "u".repeat(EVENT_LIMITS.idChars),
      item_id: "i".repeat(EVENT_LIMITS.idChars),
      ts: 1_790_000_000_000,
      source: "s".repeat(EVENT_LIMITS.sourceChars),
      value: -Math.PI * 1e-300, // 22 characters as JSON
      text: escaped(EVENT_LIMITS.reviewTextChars),
      context,
    };
    const { accepted, rejected } = validateClientEvents([worst], noDefaults);
    expect(rejected).toEqual([]);
    expect(accepted[0]!.sizeBytes).toBeLessThanOrEqual(EVENTS_LIMITS.maxEventBytes);
    expect(EVENTS_LIMITS.maxEventBytes + QUEUE_LIMITS.metadataBytesPerMessage).toBeLessThanOrEqual(
      QUEUE_LIMITS.messageBytes,
    );
  });
});

describe("eventList", () => {
  it("takes an array or an {events} object, and explains anything else", () => {
    expect(eventList([1])).toEqual([1]);
    expect(eventList({ events: [2] })).toEqual([2]);
    expect(typeof eventList({ event: {} })).toBe("string");
    expect(typeof eventList("[]")).toBe("string");
  });
});

describe("eventDefaults", () => {
  const headers = (entries: Record<string, string>) => new Headers(entries);

  it("calls a browser's request web and classifies its device", () => {
    const android =
      "Mozilla/5.0 (Linux; Android 15; Pixel 9) AppleWebKit/537.36 Chrome/131.0 Mobile Safari/537.36";
    const tablet = "Mozilla/5.0 (Linux; Android 15; SM-X710) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";
    const desktop = "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 Chrome/131.0 Safari/537.36";
    expect(eventDefaults(headers({ "user-agent": android }))).toEqual({ source: "web", device: "mobile" });
    expect(eventDefaults(headers({ "user-agent": tablet }))).toEqual({ source: "web", device: "tablet" });
    expect(eventDefaults(headers({ "user-agent": desktop }))).toEqual({ source: "web", device: "desktop" });
  });

  it("leaves the device out for non-browser clients, and marks crawlers as bots", () => {
    expect(eventDefaults(headers({ "user-agent": "okhttp/4.12.0" }))).toEqual({ source: "edge" });
    expect(eventDefaults(headers({}))).toEqual({ source: "edge" });
    expect(eventDefaults(headers({ "user-agent": "Googlebot/2.1" })).device).toBe("bot");
  });
});

describe("queueBatches", () => {
  const encoder = new TextEncoder();
  const jsonBytes = (value: unknown) => encoder.encode(JSON.stringify(value)).byteLength;
  /** Events of these sizes as UTF-8 JSON (padded with review text, two bytes a character past ASCII). */
  const accepted = (sizes: number[]): AcceptedEvent[] =>
    sizes.map((size, n) => {
      const bare = { event_id: `q${n}`, type: "view", user_id: "u", ts: 1_790_000_000_000, source: "web" };
      const padding = size - jsonBytes({ ...bare, text: "" });
      const record = { ...bare, text: "é".repeat(Math.floor(padding / 2)) + "x".repeat(padding % 2) };
      expect(jsonBytes(record)).toBe(size);
      return { record: record as InteractionEvent, sizeBytes: size };
    });

  function expectWithinLimits(batches: ReturnType<typeof queueBatches>, count: number) {
    for (const batch of batches) {
      expect(batch.length).toBeLessThanOrEqual(QUEUE_LIMITS.messagesPerSendBatch);
      const bytes = batch.map((message) => jsonBytes(message.body) + QUEUE_LIMITS.metadataBytesPerMessage);
      expect(bytes.reduce((sum, size) => sum + size, 0)).toBeLessThanOrEqual(QUEUE_LIMITS.bytesPerSendBatch);
      for (const size of bytes) {
        expect(size).toBeLessThanOrEqual(QUEUE_LIMITS.messageBytes);
      }
    }
    // Every event once, in order.
    const ids = batches.flat().flatMap((message) => message.body.events.map((event) => event.event_id));
    expect(ids).toEqual(Array.from({ length: count }, (_, n) => `q${n}`));
  }

  it("packs a request's small events into one JSON message", () => {
    const events = accepted(Array.from({ length: 500 }, () => 200));
    const batches = queueBatches(events);
    expect(batches).toEqual([[{ body: { events: events.map((e) => e.record) }, contentType: "json" }]]);
  });

  it("fills messages up to the packed limit, measured exactly, and no further", () => {
    const sizes = Array.from({ length: 500 }, (_, n) => 600 + ((n * 7919) % 1400));
    const batches = queueBatches(accepted(sizes));
    const messages = batches.flat();
    expect(messages.length).toBeGreaterThan(1);
    messages.forEach((message, index) => {
      const bytes = jsonBytes(message.body);
      expect(bytes).toBeLessThanOrEqual(QUEUE_LIMITS.packedMessageBytes);
      if (index < messages.length - 1) {
        // The next message's first event would not have fitted in this one.
        const next = messages[index + 1]!.body.events[0];
        expect(bytes + 1 + jsonBytes(next)).toBeGreaterThan(QUEUE_LIMITS.packedMessageBytes);
      }
    });
    expectWithinLimits(batches, sizes.length);
  });

  it("sends the largest event alone in a message that fits, and keeps each call under 256 KB", () => {
    const sizes = [60_000, 60_000, EVENTS_LIMITS.maxEventBytes, 10_000, 90_000, 90_000, 100];
    const batches = queueBatches(accepted(sizes));
    expect(batches.flat().map((message) => message.body.events.length)).toEqual([2, 1, 2, 2]);
    expect(jsonBytes(batches.flat()[1]!.body)).toBe(QUEUE_LIMITS.packedMessageBytes);
    expectWithinLimits(batches, sizes.length);
  });
});

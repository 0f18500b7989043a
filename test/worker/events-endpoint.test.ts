/**
 * POST /events inside a real workerd, forwarding to the real origin app (PGlite) over HTTP: without a
 * queue (waitUntil) and through a Miniflare queue consumed by the same Worker. A fault injector in
 * front of the origin makes it fail on demand; the origin's store shows what arrived, and how often.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { IngestRecordInput } from "../../models/contracts/index.ts";
import { mulberry32 } from "../../models/random.ts";
import { EVENTS_LIMITS } from "../../worker/events/index.ts";
import { edgeJsonOnOwnConnection } from "../support/edge-json-on-own-connection.ts";
import { type FaultyOrigin, ORIGIN_TEST_KEY } from "../support/faulty-origin.ts";
import { type ForwardingEdges, startForwardingEdges } from "../support/forwarding-edges.ts";
import { edgeJson, type TestEdge } from "../support/local-edge.ts";

let origin: FaultyOrigin;
let direct: TestEdge;
let queued: TestEdge;
let unconfigured: TestEdge;
let stack: ForwardingEdges | undefined;

beforeAll(async () => {
  stack = await startForwardingEdges();
  ({ origin, direct, queued, unconfigured } = stack);
});

afterAll(async () => {
  await stack?.close();
});

/** `count` valid client events with ids `<prefix><n>`, from a seeded generator. */
function clientEvents(prefix: string, count: number, seed = 7): IngestRecordInput[] {
  const rng = mulberry32(seed);
  const types = ["view", "click", "add_to_cart", "purchase", "rating"] as const;
  return Array.from({ length: count }, (_, n) => {
    const type = types[Math.floor(rng() * types.length)]!;
    const base = {
      event_id: `${prefix}${n}`,
      user_id: `u${Math.floor(rng() * 10)}`,
      item_id: `i${Math.floor(rng() * 50)}`,
      ts: Date.UTC(2026, 10, 1) + Math.floor(rng() * 86_400_000),
      source: "app",
    };
    return type === "rating" ? { ...base, type, value: 1 + Math.floor(rng() * 5) } : { ...base, type };
  });
}

function postEvents(edge: TestEdge, body: unknown, headers: Record<string, string> = {}) {
  return edgeJson(edge, "/events", {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

interface DeliveryCounts {
  delivered: number;
  rejected: number;
  retried: number;
  lost: number;
}

async function eventCounts(edge: TestEdge): Promise<DeliveryCounts> {
  const { body } = await edgeJson(edge, "/health");
  return (body.delivery as { events: DeliveryCounts }).events;
}

async function waitUntilStored(prefix: string, count: number) {
  await vi.waitFor(async () => expect(await origin.stored(prefix)).toHaveLength(count), {
    timeout: 20_000,
    interval: 50,
  });
}

describe("forwarding without a queue (waitUntil)", () => {
  it("answers 202 and delivers every event to the origin, which stores each once", async () => {
    const events = clientEvents("direct-ok-", 12);
    const { status, body } = await postEvents(direct, events);
    expect(status).toBe(202);
    expect(body).toEqual({ accepted: 12, rejected: [], forwarding: "direct" });
    await waitUntilStored("direct-ok-", 12);
    const stored = await origin.stored("direct-ok-");
    expect(new Set(stored.map((event) => event.eventId))).toEqual(new Set(events.map((e) => e.event_id)));
    expect(
      origin.requestsFor("direct-ok-").every((r) => r.authorization === `Bearer ${ORIGIN_TEST_KEY}`),
    ).toBe(true);
  });

  it("passes its request id to the origin with the request's events, and echoes it", async () => {
    const given = "client-req-42";
    const echoed = await postEvents(direct, clientEvents("reqid-given-", 2), { "x-request-id": given });
    const fresh = await postEvents(direct, clientEvents("reqid-fresh-", 2));
    expect(echoed.headers.get("x-request-id")).toBe(given);
    const freshId = fresh.headers.get("x-request-id");
    expect(freshId).toMatch(/^[0-9a-f-]{36}$/);
    await waitUntilStored("reqid-given-", 2);
    await waitUntilStored("reqid-fresh-", 2);
    expect(origin.requestsFor("reqid-given-").map((r) => r.requestId)).toEqual([given]);
    expect(origin.requestsFor("reqid-fresh-").map((r) => r.requestId)).toEqual([freshId]);
  });

  it("fills source and the device class from a browser's request, keeping what the client sent", async () => {
    const [withSource, bare] = clientEvents("direct-defaults-", 2).map(({ source, ...event }, n) =>
      n === 0 ? { ...event, source: "pos", context: { surface: "home" } } : event,
    );
    const iPhone =
      "Mozilla/5.0 (iPhone; CPU iPhone OS 18_0 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148";
    const { status } = await postEvents(direct, { events: [withSource, bare] }, { "user-agent": iPhone });
    expect(status).toBe(202);
    await waitUntilStored("direct-defaults-", 2);
    const byId = new Map((await origin.stored("direct-defaults-")).map((event) => [event.eventId, event]));
    expect(byId.get(withSource!.event_id)).toMatchObject({
      source: "pos",
      context: { surface: "home", device: "mobile" },
    });
    expect(byId.get(bare!.event_id)).toMatchObject({ source: "web", context: { device: "mobile" } });
  });

  it("reports wrongly typed events by index and still forwards the valid ones", async () => {
    const [a, b, c, d] = clientEvents("direct-mixed-", 4);
    const { event_id: _, ...withoutId } = d!;
    const batch = [
      a,
      { ...b, event_id: 42 },
      c,
      withoutId,
      { event_id: "direct-mixed-item", type: "item", item_id: "i1", ts: a!.ts, source: "app" },
      "not an event",
      { ...d, ts: "yesterday" },
    ];
    const { status, body } = await postEvents(direct, batch);
    expect(status).toBe(202);
    expect(body.accepted).toBe(2);
    const rejected = body.rejected as { index: number; message: string }[];
    expect(rejected.map((r) => r.index)).toEqual([1, 3, 4, 5, 6]);
    expect(rejected[0]!.message).toContain("event_id");
    expect(rejected[1]!.message).toContain("event_id is required");
    expect(rejected[2]!.message).toContain("not accepted at the edge");
    expect(rejected[4]!.message).toContain("ts");
    // The valid events travelled in the same origin batch the invalid ones would have: once they are
    // stored, nothing else from this request is coming.
    await waitUntilStored("direct-mixed-", 2);
    expect((await origin.stored("direct-mixed-")).map((event) => event.eventId).sort()).toEqual(
      [a!.event_id, c!.event_id].sort(),
    );
  });

  it("answers 422 and forwards nothing when no event is valid", async () => {
    const { status, body } = await postEvents(direct, [{ type: "view" }, 7]);
    expect(status).toBe(422);
    expect(body.accepted).toBe(0);
    expect((body.error as { code: string }).code).toBe("no_valid_events");
    expect((body.rejected as unknown[]).length).toBe(2);
  });

  it("retries a failed origin request a few times from waitUntil", async () => {
    origin.fault = (ids, seen) =>
      ids.some((id) => id.startsWith("direct-retry-")) && seen === 0 ? 503 : "pass";
    try {
      expect((await postEvents(direct, clientEvents("direct-retry-", 3))).status).toBe(202);
      await waitUntilStored("direct-retry-", 3);
      expect(origin.requestsFor("direct-retry-").map((r) => r.status)).toEqual([503, 200]);
    } finally {
      origin.fault = () => "pass";
    }
  });
});

describe("per-record rejections", () => {
  it("refuses a lone surrogate at the door and forwards the valid event beside it", async () => {
    const [valid, other] = clientEvents("door-surrogate-", 2);
    const { status, body } = await postEvents(direct, [valid, { ...other, user_id: "u\ud800" }]);
    expect(status).toBe(202);
    expect(body.accepted).toBe(1);
    const rejected = body.rejected as { index: number; message: string }[];
    expect(rejected.map((r) => r.index)).toEqual([1]);
    expect(rejected[0]!.message).toContain("user_id");
    await waitUntilStored("door-surrogate-", 1);
    expect((await origin.stored("door-surrogate-")).map((event) => event.eventId)).toEqual([valid!.event_id]);
  });

  it("refuses a record nested 5,000 levels deep on its own and forwards the valid one beside it", async () => {
    const [valid, deep] = clientEvents("door-deep-", 2);
    const nested = `${'{"a":'.repeat(5_000)}1${"}".repeat(5_000)}`;
    const body = `[${JSON.stringify(valid)},${JSON.stringify(deep).slice(0, -1)},"context":{"x":${nested}}}]`;
    const { status, body: answer } = await postEvents(direct, body);
    expect(status).toBe(202);
    expect(answer.accepted).toBe(1);
    expect((answer.rejected as { index: number }[]).map((r) => r.index)).toEqual([1]);
    await waitUntilStored("door-deep-", 1);
  });

  it("forwards the valid event and drops only the one the origin rejected", async () => {
    const events = clientEvents("direct-spoil-", 3);
    const spoilt = events[1]!.event_id;
    origin.fault = (ids) => (ids.some((id) => id.startsWith("direct-spoil-")) ? { spoil: [spoilt] } : "pass");
    try {
      const before = await eventCounts(direct);
      expect((await postEvents(direct, events)).status).toBe(202);
      await waitUntilStored("direct-spoil-", 2);
      // Counted once the edge has read the origin's answer: the rejected event was classified for good.
      await vi.waitFor(async () => expect((await eventCounts(direct)).rejected - before.rejected).toBe(1), {
        timeout: 10_000,
        interval: 50,
      });
      const after = await eventCounts(direct);
      expect(after.delivered - before.delivered).toBe(2);
      expect(after.retried - before.retried).toBe(0);
      expect(origin.requestsFor("direct-spoil-")).toHaveLength(1);
      expect((await origin.stored("direct-spoil-")).map((event) => event.eventId).sort()).toEqual(
        [events[0]!.event_id, events[2]!.event_id].sort(),
      );
    } finally {
      origin.fault = () => "pass";
    }
  });

  it("acks a queue message the origin rejects permanently instead of redelivering it", async () => {
    const events = clientEvents("queue-spoil-", 4);
    const spoilt = events[2]!.event_id;
    origin.fault = (ids) => (ids.some((id) => id.startsWith("queue-spoil-")) ? { spoil: [spoilt] } : "pass");
    try {
      expect((await postEvents(queued, events)).status).toBe(202);
      await waitUntilStored("queue-spoil-", 3);
      // A redelivery (no delay here) would be queued before this later batch, and reach the origin first.
      expect((await postEvents(queued, clientEvents("queue-after-spoil-", 2))).status).toBe(202);
      await waitUntilStored("queue-after-spoil-", 2);
      expect(origin.requestsFor(spoilt)).toHaveLength(1);
      expect((await origin.stored("queue-spoil-")).map((event) => event.eventId)).not.toContain(spoilt);
    } finally {
      origin.fault = () => "pass";
    }
  });

  it("acks a queued message the contract refuses without sending it, and delivers its batch", async () => {
    const producer = await queued.miniflare.getQueueProducer("EVENTS_QUEUE");
    const [valid, poison] = clientEvents("queue-poison-", 2);
    const before = await eventCounts(queued);
    // As an older edge, before the contract refused it, might have queued it.
    await producer.sendBatch([
      { body: { ...valid, source: "app" } },
      { body: { ...poison, source: "app", user_id: "u\u0000" } },
    ]);
    await waitUntilStored("queue-poison-", 1);
    await vi.waitFor(async () => expect((await eventCounts(queued)).rejected - before.rejected).toBe(1), {
      timeout: 10_000,
      interval: 50,
    });
    expect(origin.requestsFor(poison!.event_id)).toHaveLength(0);
  });
});

describe("forwarding through the queue", () => {
  it("answers 202 and the consumer delivers every event to the origin, which stores each once", async () => {
    const events = clientEvents("queue-ok-", 30);
    const { status, body } = await postEvents(queued, events);
    expect(status).toBe(202);
    expect(body).toEqual({ accepted: 30, rejected: [], forwarding: "queue" });
    await waitUntilStored("queue-ok-", 30);
  });

  it("retries after the origin answers 500, and the events are stored once", async () => {
    origin.fault = (ids, seen) =>
      ids.some((id) => id.startsWith("queue-500-")) && seen === 0 ? 500 : "pass";
    try {
      expect((await postEvents(queued, clientEvents("queue-500-", 5))).status).toBe(202);
      await waitUntilStored("queue-500-", 5);
      const statuses = origin.requestsFor("queue-500-").map((r) => r.status);
      expect(statuses[0]).toBe(500);
      expect(statuses.at(-1)).toBe(200);
    } finally {
      origin.fault = () => "pass";
    }
  });

  it("redelivers a batch whose answer was lost, and the origin stores it once", async () => {
    origin.fault = (ids, seen) =>
      ids.some((id) => id.startsWith("queue-lost-")) && seen === 0 ? { storeThen: 503 } : "pass";
    try {
      expect((await postEvents(queued, clientEvents("queue-lost-", 4))).status).toBe(202);
      await vi.waitFor(() => expect(origin.requestsFor("queue-lost-").length).toBeGreaterThanOrEqual(2), {
        timeout: 20_000,
        interval: 50,
      });
      expect(await origin.stored("queue-lost-")).toHaveLength(4);
    } finally {
      origin.fault = () => "pass";
    }
  });

  it("packs a request's events into a few messages, and a packed batch retried stores each event once", async () => {
    // Reviews of about 700 bytes: 400 of them need three 127 KB messages, sent in two sendBatch calls.
    const events = clientEvents("queue-packed-", 400).map((event, n) => ({
      ...event,
      type: "review" as const,
      item_id: `i${n % 50}`,
      text: `review ${n}: ${"good ".repeat(130)}`,
      value: undefined,
    }));
    origin.fault = (ids, seen) =>
      ids.some((id) => id.startsWith("queue-packed-")) && seen === 0 ? { storeThen: 503 } : "pass";
    try {
      expect((await postEvents(queued, events)).status).toBe(202);
      await waitUntilStored("queue-packed-", 400);
      const requests = origin.requestsFor("queue-packed-");
      // The first answer was lost after the events were stored, so the messages came again.
      expect(requests[0]!.status).toBe(503);
      // A consumer batch holds at most 100 messages: more events than that in one request means packed messages.
      expect(requests[0]!.eventIds.length).toBeGreaterThan(100);
      const stored = (await origin.stored("queue-packed-")).map((event) => event.eventId);
      expect(stored).toHaveLength(400);
      expect(new Set(stored)).toEqual(new Set(events.map((event) => event.event_id)));
      const redelivered = requests.slice(1).flatMap((r) => r.eventIds);
      expect(redelivered).toEqual(expect.arrayContaining(requests[0]!.eventIds));
    } finally {
      origin.fault = () => "pass";
    }
  });

  it("reads single-event messages from edges before packing beside packed ones", async () => {
    const producer = await queued.miniflare.getQueueProducer("EVENTS_QUEUE");
    const [single, packedA, packedB, poison] = clientEvents("queue-mixed-", 4);
    const before = await eventCounts(queued);
    await producer.sendBatch([
      { body: single },
      { body: { events: [packedA, { ...poison, user_id: "u\u0000" }, packedB] } },
    ]);
    await waitUntilStored("queue-mixed-", 3);
    await vi.waitFor(async () => expect((await eventCounts(queued)).rejected - before.rejected).toBe(1), {
      timeout: 10_000,
      interval: 50,
    });
    expect((await origin.stored("queue-mixed-")).map((event) => event.eventId).sort()).toEqual(
      [single!.event_id, packedA!.event_id, packedB!.event_id].sort(),
    );
    expect(origin.requestsFor(poison!.event_id)).toHaveLength(0);
  });

  it("acks events the origin rejects for good (400) instead of retrying them", async () => {
    origin.fault = (ids) => (ids.some((id) => id.startsWith("queue-perm-")) ? 400 : "pass");
    try {
      expect((await postEvents(queued, clientEvents("queue-perm-", 3))).status).toBe(202);
      await vi.waitFor(() => expect(origin.requestsFor("queue-perm-")).toHaveLength(1), {
        timeout: 20_000,
        interval: 50,
      });
      // A retry (no delay here) would be queued before this later batch, and reach the origin first.
      expect((await postEvents(queued, clientEvents("queue-after-perm-", 2))).status).toBe(202);
      await waitUntilStored("queue-after-perm-", 2);
      expect(origin.requestsFor("queue-perm-")).toHaveLength(1);
      expect(await origin.stored("queue-perm-")).toHaveLength(0);
    } finally {
      origin.fault = () => "pass";
    }
  });
});

describe("refusals", () => {
  it("answers 400 to malformed JSON", async () => {
    const { status, body } = await postEvents(direct, '[{"event_id": "x", ');
    expect(status).toBe(400);
    expect((body.error as { code: string }).code).toBe("malformed_json");
  });

  it("answers 400 to a body that is not a list of events", async () => {
    expect((await postEvents(direct, { event: {} })).status).toBe(400);
    expect((await postEvents(direct, [])).status).toBe(400);
  });

  it("answers 413 to a body over the size limit", async () => {
    const padding = "x".repeat(EVENTS_LIMITS.maxBodyBytes);
    const { status, body } = await edgeJsonOnOwnConnection(direct, "/events", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify([{ event_id: padding }]),
    });
    expect(status).toBe(413);
    expect((body.error as { code: string; message: string }).message).toContain(
      String(EVENTS_LIMITS.maxBodyBytes),
    );
  });

  it("answers 413 to an oversized body sent without a Content-Length", async () => {
    const chunk = new TextEncoder().encode(`[${'"x",'.repeat(16_383)}"x"]`.padEnd(65_536, " "));
    const chunks = Math.ceil(EVENTS_LIMITS.maxBodyBytes / chunk.byteLength) + 1;
    // Chunked: no Content-Length, so the Worker must count the bytes as they arrive.
    const { status } = await edgeJsonOnOwnConnection(direct, "/events", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: Array.from({ length: chunks }, () => chunk),
    });
    expect(status).toBe(413);
  });

  it("answers 413 to more events than one request may carry", async () => {
    const events = clientEvents("too-many-", EVENTS_LIMITS.maxEventsPerRequest + 1);
    const { status, body } = await postEvents(direct, events);
    expect(status).toBe(413);
    expect((body.error as { code: string }).code).toBe("too_many_events");
  });

  it("answers 503 events_not_configured when neither the origin URL nor a queue is set", async () => {
    const { status, body } = await postEvents(unconfigured, clientEvents("unconfigured-", 1));
    expect(status).toBe(503);
    const error = body.error as { code: string; message: string };
    expect(error.code).toBe("events_not_configured");
    expect(error.message).toContain("ORIGIN_INGEST_URL");
  });

  it("answers 401 without an API key", async () => {
    const { status, body } = await postEvents(direct, clientEvents("no-key-", 1), { "x-api-key": "" });
    expect(status).toBe(401);
    expect((body.error as { code: string }).code).toBe("missing_api_key");
  });
});

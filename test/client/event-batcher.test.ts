/**
 * The event batcher's queueing in Node, over a real HTTP server standing in for the edge's POST /events
 * (it answers what the test says and records what it received): flush by size and by time, an id and a
 * time for every event, a failed batch queued again after the client's retries, a refused one not.
 */
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { createEdgeClient, createEventBatcher } from "../../client/src/index.ts";

let server: Server;
let edgeUrl: string;
const received: Array<Array<{ event_id: string; type: string; ts: number }>> = [];
let answer: () => number = () => 202;

beforeAll(async () => {
  server = createServer((request, response) => {
    let body = "";
    request.on("data", (chunk) => {
      body += chunk;
    });
    request.on("end", () => {
      const status = answer();
      if (status === 202) {
        const events = JSON.parse(body) as Array<{ event_id: string; type: string; ts: number }>;
        received.push(events);
        response.writeHead(202, { "content-type": "application/json" });
        response.end(JSON.stringify({ accepted: events.length, rejected: [], forwarding: "direct" }));
      } else {
        response.writeHead(status, { "content-type": "application/json" });
        response.end(JSON.stringify({ error: { code: "test", message: `answered ${status}` } }));
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  edgeUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

afterEach(() => {
  received.length = 0;
  answer = () => 202;
  vi.useRealTimers();
});

const client = () => createEdgeClient({ edgeUrl, retry: { retries: 1, random: () => 0 } });
const view = (n: number) => ({ type: "view" as const, user_id: `u-${n}` });

describe("the event batcher", () => {
  it("fills in a fresh event_id and the time for each event", () => {
    const batcher = createEventBatcher({ client: client() });
    const a = batcher.track(view(1));
    const b = batcher.track(view(2));
    expect(a.event_id).toMatch(/^[0-9a-f-]{36}$/);
    expect(b.event_id).not.toBe(a.event_id);
    expect(typeof a.ts).toBe("number");
    expect(batcher.track({ ...view(3), event_id: "mine" }).event_id).toBe("mine");
  });

  it("sends a batch as soon as maxBatchSize events wait", async () => {
    const batcher = createEventBatcher({ client: client(), maxBatchSize: 3, flushIntervalMs: 60_000 });
    for (let n = 0; n < 3; n++) {
      batcher.track(view(n));
    }
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]!.map((e) => e.type)).toEqual(["view", "view", "view"]);
    expect(batcher.pending).toBe(0);
  });

  it("sends what waits once flushIntervalMs has passed since the first event", async () => {
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    const batcher = createEventBatcher({ client: client(), maxBatchSize: 10, flushIntervalMs: 5000 });
    batcher.track(view(1));
    batcher.track(view(2));
    await vi.advanceTimersByTimeAsync(4999);
    expect(batcher.pending).toBe(2);
    await vi.advanceTimersByTimeAsync(1);
    vi.useRealTimers();
    await vi.waitFor(() => expect(received).toHaveLength(1));
    expect(received[0]).toHaveLength(2);
  });

  it("queues a batch again when the edge keeps failing, and sends it, once, on the next flush", async () => {
    answer = () => 503;
    const errors: unknown[] = [];
    const batcher = createEventBatcher({ client: client(), onError: (error) => errors.push(error) });
    const event = batcher.track(view(1));
    await batcher.flush();
    expect(errors).toHaveLength(1);
    expect(batcher.pending).toBe(1);
    answer = () => 202;
    await batcher.flush();
    expect(received.flat().map((e) => e.event_id)).toEqual([event.event_id]);
    expect(batcher.pending).toBe(0);
  });

  it("tries a failed batch again on its own after flushIntervalMs", async () => {
    answer = () => 503;
    vi.useFakeTimers({ toFake: ["setTimeout", "clearTimeout"] });
    // No retries inside the client: its backoff would wait on the faked timers.
    const noRetries = createEdgeClient({ edgeUrl, retry: { retries: 0 } });
    const batcher = createEventBatcher({ client: noRetries, flushIntervalMs: 5000, onError: () => {} });
    const event = batcher.track(view(1));
    await batcher.flush();
    expect(batcher.pending).toBe(1);
    answer = () => 202;
    await vi.advanceTimersByTimeAsync(5000);
    vi.useRealTimers();
    await vi.waitFor(() => expect(received.flat().map((e) => e.event_id)).toEqual([event.event_id]));
    expect(batcher.pending).toBe(0);
  });

  it("keeps at most maxQueued events while the edge is down, dropping the oldest", async () => {
    answer = () => 503;
    const dropped: string[] = [];
    const batcher = createEventBatcher({
      client: client(),
      maxBatchSize: 10,
      maxQueued: 3,
      flushIntervalMs: 60_000,
      onError: (error, events) => {
        if (String(error).includes("dropped")) {
          dropped.push(...events.map((e) => e.user_id));
        }
      },
    });
    for (let n = 0; n < 5; n++) {
      batcher.track(view(n));
    }
    await batcher.flush();
    expect(batcher.pending).toBe(3);
    expect(dropped).toEqual(["u-0", "u-1"]);
    answer = () => 202;
    await batcher.flush();
    expect(received.flat().map((e) => (e as unknown as { user_id: string }).user_id)).toEqual([
      "u-2",
      "u-3",
      "u-4",
    ]);
  });

  it("drops a batch the edge refuses with a 4xx, which would be refused again, and reports it", async () => {
    answer = () => 422;
    const errors: Array<{ status?: number }> = [];
    const batcher = createEventBatcher({
      client: client(),
      onError: (error) => errors.push(error as { status?: number }),
    });
    batcher.track(view(1));
    await batcher.flush();
    expect(errors.map((e) => e.status)).toEqual([422]);
    expect(batcher.pending).toBe(0);
  });

  it("listens for nothing where there is no page (Node, Workers)", () => {
    const batcher = createEventBatcher({ client: client() });
    const stop = batcher.listen();
    expect(typeof stop).toBe("function");
    stop();
  });
});

/** How the edge reads the origin's answers: what is delivered, rejected for good, or retried. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import type { InteractionEvent } from "../../../models/contracts/index.ts";
import { MAX_RETRY_DELAY_SECONDS, retryDelaySeconds } from "../../../worker/events/backoff.ts";
import { forwardDirect } from "../../../worker/events/forward-direct.ts";
import {
  deliverToOrigin,
  type OriginTarget,
  parseRetryAfter,
} from "../../../worker/events/origin-delivery.ts";

interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
}

/** A stand-in for the origin's ingestion endpoint: answers with `reply`, records what it received. */
let reply: (events: { event_id: string }[]) => Reply | "hang" = () => ({ status: 200, body: {} });
const received: { events: { event_id: string }[]; authorization: string | undefined }[] = [];
let server: Server;
let target: OriginTarget;

beforeAll(async () => {
  server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const events = JSON.parse(Buffer.concat(chunks).toString("utf8")) as { event_id: string }[];
      received.push({ events, authorization: request.headers.authorization });
      const answer = reply(events);
      if (answer === "hang") {
        return;
      }
      response.writeHead(answer.status, { "content-type": "application/json", ...answer.headers });
      response.end(JSON.stringify(answer.body ?? {}));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  target = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1/events/batch`,
    key: "k".repeat(20),
  };
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

function events(count: number, prefix = "e"): InteractionEvent[] {
  return Array.from({ length: count }, (_, n) => ({
    event_id: `${prefix}${n}`,
    type: "view",
    user_id: "u1",
    ts: 1_790_000_000_000 + n,
    source: "web",
  }));
}

const options = { timeoutMs: 5_000 };

describe("deliverToOrigin", () => {
  it("sends the events as a JSON array with the ingestion key as a bearer token", async () => {
    reply = () => ({ status: 200, body: { stored: 2, duplicates: [], rejected: [] } });
    received.length = 0;
    expect(await deliverToOrigin(events(2), target, options)).toEqual([
      { kind: "delivered" },
      { kind: "delivered" },
    ]);
    expect(received).toEqual([{ events: events(2), authorization: `Bearer ${target.key}` }]);
  });

  it("treats a 2xx as delivered, except the events the origin lists as rejected", async () => {
    reply = () => ({ status: 200, body: { rejected: [{ index: 1, event_id: "e1", error: "type: bad" }] } });
    expect(await deliverToOrigin(events(3), target, options)).toEqual([
      { kind: "delivered" },
      { kind: "rejected", reason: "type: bad" },
      { kind: "delivered" },
    ]);
  });

  it("rejects the batch for good on 400, and takes per-event reasons from a 422", async () => {
    reply = () => ({ status: 400, body: { error: { code: "malformed_batch", message: "not an array" } } });
    const on400 = await deliverToOrigin(events(2), target, options);
    expect(on400.map((outcome) => outcome.kind)).toEqual(["rejected", "rejected"]);
    expect(on400[0]).toMatchObject({ reason: expect.stringContaining("400: not an array") });

    reply = (batch) => ({
      status: 422,
      body: {
        rejected: batch.map((event, index) => ({ index, event_id: event.event_id, error: `bad ${index}` })),
      },
    });
    expect(await deliverToOrigin(events(2), target, options)).toEqual([
      { kind: "rejected", reason: "bad 0" },
      { kind: "rejected", reason: "bad 1" },
    ]);
  });

  it("halves a batch the origin finds too large (413) until each part fits", async () => {
    reply = (batch) => (batch.length > 2 ? { status: 413, body: { message: "too many" } } : { status: 200 });
    received.length = 0;
    const outcomes = await deliverToOrigin(events(7), target, options);
    expect(outcomes.every((outcome) => outcome.kind === "delivered")).toBe(true);
    const delivered = received
      .filter((r) => r.events.length <= 2)
      .flatMap((r) => r.events.map((e) => e.event_id));
    expect(delivered.sort()).toEqual(
      events(7)
        .map((e) => e.event_id)
        .sort(),
    );

    reply = () => ({ status: 413, body: { message: "too large" } });
    expect((await deliverToOrigin(events(1), target, options))[0]!.kind).toBe("rejected");
  });

  it("retries on 429 and 5xx, carrying the origin's Retry-After", async () => {
    reply = () => ({ status: 429, headers: { "retry-after": "7" } });
    expect((await deliverToOrigin(events(1), target, options))[0]).toMatchObject({
      kind: "retry",
      retryAfterSeconds: 7,
    });
    reply = () => ({ status: 503 });
    const outcome = (await deliverToOrigin(events(1), target, options))[0]!;
    expect(outcome.kind).toBe("retry");
    expect(outcome).not.toHaveProperty("retryAfterSeconds");
  });

  it("retries on 401, a misconfigured key the operator can fix, rather than dropping the events", async () => {
    reply = () => ({ status: 401, body: { error: { code: "invalid_api_key", message: "wrong key" } } });
    expect((await deliverToOrigin(events(2), target, options)).map((o) => o.kind)).toEqual([
      "retry",
      "retry",
    ]);
  });

  it("retries when the origin cannot be reached or does not answer in time", async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const unreachable = { ...target, url: `http://127.0.0.1:${port}/v1/events/batch` };
    expect((await deliverToOrigin(events(1), unreachable, options))[0]!.kind).toBe("retry");

    reply = () => "hang";
    expect((await deliverToOrigin(events(1), target, { timeoutMs: 200 }))[0]!.kind).toBe("retry");
  });
});

describe("retry delays", () => {
  it("double from the base per attempt, never undercut Retry-After, and stop at an hour", () => {
    expect([1, 2, 3, 4].map((attempt) => retryDelaySeconds(attempt, 10))).toEqual([10, 20, 40, 80]);
    expect(retryDelaySeconds(1, 10, 45)).toBe(45);
    expect(retryDelaySeconds(30, 10)).toBe(MAX_RETRY_DELAY_SECONDS);
    expect(retryDelaySeconds(3, 0)).toBe(0);
  });

  it("read Retry-After as seconds or as an HTTP date", () => {
    const now = Date.UTC(2026, 10, 27, 12, 0, 0);
    expect(parseRetryAfter("12", now)).toBe(12);
    expect(parseRetryAfter(new Date(now + 30_000).toUTCString(), now)).toBe(30);
    expect(parseRetryAfter("soon", now)).toBeUndefined();
    expect(parseRetryAfter(null, now)).toBeUndefined();
  });
});

describe("forwardDirect (no queue)", () => {
  const quick = { retryDelaysMs: [0, 0], timeoutMs: 5_000 };

  it("tries again after a 5xx and stops once the origin has the events", async () => {
    let calls = 0;
    reply = () => (++calls === 1 ? { status: 500 } : { status: 200 });
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await forwardDirect(events(3), target, quick);
    warn.mockRestore();
    expect(calls).toBe(2);
  });

  it("does not try again what the origin rejected for good", async () => {
    let calls = 0;
    reply = () => {
      calls++;
      return { status: 400, body: { message: "no" } };
    };
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    await forwardDirect(events(2), target, quick);
    expect(warn).toHaveBeenCalledWith(expect.stringContaining("rejected 2 event(s) for good"));
    warn.mockRestore();
    expect(calls).toBe(1);
  });

  it("gives up after its retries and logs the lost events as an error", async () => {
    let calls = 0;
    reply = () => {
      calls++;
      return { status: 503 };
    };
    const warn = vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    await forwardDirect(events(2, "lost-"), target, quick);
    expect(error).toHaveBeenCalledWith(expect.stringMatching(/2 event\(s\) not delivered, lost: lost-0/));
    warn.mockRestore();
    error.mockRestore();
    expect(calls).toBe(quick.retryDelaysMs.length + 1);
  });
});

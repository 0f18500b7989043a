/**
 * Request deadlines over a real socket: a client that trickles its body (or its headers) a byte at a time
 * is answered 408 and disconnected once REQUEST_TIMEOUT_SECONDS has passed, instead of holding the
 * connection for as long as it likes.
 */
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createOriginApp, listen, type RunningServer } from "../../../origin/server/index.ts";
import { startTestOrigin, TEST_API_KEY, TEST_LIMITS, type TestOrigin } from "../support/origin-app.ts";

const TIMEOUT_MS = 2000;
const TRICKLE_EVERY_MS = 1500;

let origin: TestOrigin;
let server: RunningServer;
beforeAll(async () => {
  origin = await startTestOrigin();
  const app = createOriginApp({
    eventStore: origin.eventStore,
    rawStore: origin.rawStore,
    ingest: { apiKey: TEST_API_KEY, ...TEST_LIMITS, bodyTimeoutMs: TIMEOUT_MS },
  });
  server = await listen(app, { port: 0, host: "127.0.0.1", requestTimeoutMs: TIMEOUT_MS });
});
afterAll(async () => {
  await server?.close();
  await origin?.close();
});

/**
 * Sends `head` at once, then `trickled` one byte every TRICKLE_EVERY_MS until the server closes the
 * connection; resolves with what the server sent and how many trickled bytes went out.
 */
function trickle(head: string, trickled: string): Promise<{ response: string; bytesSent: number }> {
  const { hostname, port } = new URL(server.url);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: hostname, port: Number(port) });
    let response = "";
    let bytesSent = 0;
    let timer: NodeJS.Timeout | undefined;
    socket.setEncoding("utf8");
    socket.on("data", (chunk: string) => {
      response += chunk;
    });
    socket.on("error", reject);
    socket.on("close", () => {
      clearInterval(timer);
      resolve({ response, bytesSent });
    });
    socket.write(head, () => {
      timer = setInterval(() => {
        if (bytesSent < trickled.length && socket.writable) {
          socket.write(trickled[bytesSent]!);
          bytesSent += 1;
        }
      }, TRICKLE_EVERY_MS);
    });
  });
}

describe("request timeouts", () => {
  it("cuts off a body trickled past the timeout with 408", async () => {
    const body = JSON.stringify([
      { type: "view", event_id: "e-slow", user_id: "u-1", ts: 1_700_000_000_000 },
    ]);
    const head =
      "POST /v1/events/batch HTTP/1.1\r\nHost: origin\r\nContent-Type: application/json\r\n" +
      `Authorization: Bearer ${TEST_API_KEY}\r\nContent-Length: ${body.length}\r\n\r\n`;
    const { response, bytesSent } = await trickle(head, body);

    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(response.toLowerCase()).toContain("connection: close");
    const json: unknown = JSON.parse(response.slice(response.indexOf("\r\n\r\n") + 4));
    expect(json).toEqual({
      error: { code: "body_timeout", message: expect.stringContaining("did not arrive") },
    });
    expect(bytesSent).toBeLessThan(body.length);
    expect(await origin.eventStore.countEvents()).toBe(0);
  });

  it("cuts off headers trickled past the timeout", async () => {
    const { response, bytesSent } = await trickle("", "GET /health HTTP/1.1\r\nHost: origin\r\n\r\n");
    expect(response).toMatch(/^HTTP\/1\.1 408 /);
    expect(bytesSent).toBeLessThan(20);
  });
});

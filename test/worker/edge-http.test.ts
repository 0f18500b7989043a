/**
 * API keys, CORS, body timeouts, the error handler, Server-Timing and the feature cache of the edge,
 * inside a real workerd.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey, kvKeys } from "../../models/contracts/index.ts";
import { edgeJson, startDemoEdge, startTestEdge, type TestEdge } from "../support/local-edge.ts";

let edge: TestEdge;
/** CORS_ORIGINS left empty, and a short body timeout. */
let plain: TestEdge;
const scorePath = "/score?model=demo-behaviour&user_id=demo-4";

beforeAll(async () => {
  [edge, plain] = await Promise.all([
    startDemoEdge({ CORS_ORIGINS: "https://shop.example, https://app.example" }, { users: 10 }),
    startTestEdge({ BODY_TIMEOUT_SECONDS: "1" }),
  ]);
});

afterAll(async () => {
  await Promise.all([edge?.dispose(), plain?.dispose()]);
});

function accessControlHeaders(headers: Headers): string[] {
  return [...headers.keys()].filter((name) => name.startsWith("access-control-"));
}

describe("API keys", () => {
  it("serves /health without a key", async () => {
    expect((await edgeJson(edge, "/health", { headers: { "x-api-key": "" } })).status).toBe(200);
  });

  it("refuses a request without a key", async () => {
    const { status, body } = await edgeJson(edge, scorePath, { headers: { "x-api-key": "" } });
    expect(status).toBe(401);
    expect((body.error as { code: string }).code).toBe("missing_api_key");
  });

  it("refuses an unknown key, and accepts the issued one in either header", async () => {
    expect((await edgeJson(edge, scorePath, { headers: { "x-api-key": "ew_not-a-key" } })).status).toBe(401);
    expect((await edgeJson(edge, scorePath, { headers: { "x-api-key": edge.apiKey } })).status).toBe(200);
    expect((await edgeJson(edge, scorePath)).status).toBe(200);
  });

  it("answers each key the same while more keys than the isolate remembers come in between", async () => {
    const unknown = Array.from({ length: 300 }, (_, i) => `ew_unknown-${i}`);
    for (let i = 0; i < unknown.length; i += 30) {
      const statuses = await Promise.all(
        unknown
          .slice(i, i + 30)
          .map(async (key) => (await edgeJson(edge, scorePath, { headers: { "x-api-key": key } })).status),
      );
      expect(new Set(statuses)).toEqual(new Set([401]));
      expect((await edgeJson(edge, scorePath)).status).toBe(200);
    }
    expect((await edgeJson(edge, scorePath, { headers: { "x-api-key": unknown[0]! } })).status).toBe(401);
    expect((await edgeJson(edge, scorePath, { headers: { "x-api-key": edge.apiKey } })).status).toBe(200);
  });

  it("stores only the key's hash", async () => {
    const models = await edge.kv("MODELS");
    expect(await models.get(kvKeys.apiKey(await hashApiKey(edge.apiKey)), "text")).toContain(
      '"name":"tests"',
    );
    expect(await models.get(kvKeys.apiKey(edge.apiKey), "text")).toBeNull();
  });
});

describe("CORS", () => {
  it("allows a configured origin and names it in the answer", async () => {
    const response = await fetch(new URL(scorePath, edge.url), {
      method: "OPTIONS",
      headers: { origin: "https://app.example", "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(204);
    expect(response.headers.get("access-control-allow-origin")).toBe("https://app.example");
  });

  it("sends no CORS grant to other origins", async () => {
    const { headers } = await edgeJson(edge, scorePath, { headers: { origin: "https://evil.example" } });
    expect(headers.get("access-control-allow-origin")).toBeNull();
  });

  it("sends no CORS grant to a foreign origin's preflight, with 204", async () => {
    const response = await fetch(new URL(scorePath, edge.url), {
      method: "OPTIONS",
      headers: { origin: "https://evil.example", "access-control-request-method": "GET" },
    });
    expect(response.status).toBe(204);
    expect(accessControlHeaders(response.headers)).toEqual([]);
    expect(response.headers.get("vary")).toContain("Origin");
  });

  it("sends no CORS headers when CORS_ORIGINS is empty", async () => {
    const preflight = await fetch(new URL(scorePath, plain.url), {
      method: "OPTIONS",
      headers: {
        origin: "https://shop.example",
        "access-control-request-method": "POST",
        "access-control-request-headers": "content-type, authorization",
      },
    });
    expect(preflight.status).toBe(204);
    expect(accessControlHeaders(preflight.headers)).toEqual([]);
    const { status, headers } = await edgeJson(plain, "/health", {
      headers: { origin: "https://shop.example" },
    });
    expect(status).toBe(200);
    expect(accessControlHeaders(headers)).toEqual([]);
    expect(headers.get("timing-allow-origin")).toBeNull();
  });
});

describe("request bodies and errors", () => {
  it("answers 408 to a body trickled past the timeout", async () => {
    const bytes = new TextEncoder().encode('{"text": "a body that arrives one byte at a time"}');
    let sent = 0;
    const body = new ReadableStream<Uint8Array>({
      async pull(controller) {
        await new Promise((resolve) => setTimeout(resolve, 200));
        if (sent < bytes.length) {
          controller.enqueue(bytes.subarray(sent, ++sent));
        } else {
          controller.close();
        }
      },
    });
    const { status, body: answer } = await edgeJson(plain, "/analyze-sentiment", {
      method: "POST",
      headers: { "content-type": "application/json", authorization: `Bearer ${plain.apiKey}` },
      body,
      duplex: "half",
    } as RequestInit);
    expect(status).toBe(408);
    expect((answer.error as { code: string }).code).toBe("body_timeout");
  });

  it("answers a JSON error, not plain text, when the Worker's configuration is invalid", async () => {
    const broken = await startTestEdge({ MANIFEST_TTL_SECONDS: "soon" });
    try {
      const response = await fetch(new URL("/health", broken.url));
      expect(response.status).toBe(500);
      expect(response.headers.get("content-type")).toContain("application/json");
      expect(((await response.json()) as { error: { code: string } }).error.code).toBe(
        "invalid_configuration",
      );
    } finally {
      await broken.dispose();
    }
  });
});

describe("Server-Timing and the feature cache", () => {
  it("reports the time spent in features, the session and the model", async () => {
    const { headers } = await edgeJson(edge, scorePath);
    const timing = headers.get("server-timing") ?? "";
    for (const metric of ["features", "session", "model-demo-behaviour", "total"]) {
      expect(timing).toContain(metric);
    }
  });

  // Ten users make one shard, which earlier tests may have read already: at most one read, then none.
  const kvReads = async () =>
    ((await edgeJson(edge, "/health")).body.features as { kvReads: number }).kvReads;

  it("reads a user's shard from KV at most once, then serves it and its other users from the isolate's cache", async () => {
    const before = await kvReads();
    expect((await edgeJson(edge, "/score?model=demo-behaviour&user_id=demo-9")).status).toBe(200);
    const read = await kvReads();
    expect(read - before).toBeLessThanOrEqual(1);
    for (const user of ["demo-9", "demo-8", "demo-3", "demo-9"]) {
      expect((await edgeJson(edge, `/score?model=demo-behaviour&user_id=${user}`)).status).toBe(200);
    }
    expect(await kvReads()).toBe(read);
  });

  it("caches an unknown user's absence too", async () => {
    const before = await kvReads();
    for (let i = 0; i < 3; i++) {
      expect((await edgeJson(edge, "/score?model=demo-behaviour&user_id=ghost")).status).toBe(404);
    }
    expect((await kvReads()) - before).toBeLessThanOrEqual(1);
  });
});

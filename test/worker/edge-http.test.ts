/** API keys, CORS, Server-Timing and the feature cache of the edge, inside a real workerd. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { hashApiKey, kvKeys } from "../../models/contracts/index.ts";
import { seedDemo } from "../../origin/local-edge/seed-demo.ts";
import { edgeJson, startTestEdge, type TestEdge } from "../support/local-edge.ts";

let edge: TestEdge;
const scorePath = "/score?model=demo-propensity&user_id=demo-4";

beforeAll(async () => {
  edge = await startTestEdge({ CORS_ORIGINS: "https://shop.example, https://app.example" });
  await seedDemo({ models: await edge.kv("MODELS"), features: await edge.kv("FEATURES") }, { users: 10 });
});

afterAll(async () => {
  await edge?.dispose();
});

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
});

describe("Server-Timing and the feature cache", () => {
  it("reports the time spent in features, the session and the model", async () => {
    const { headers } = await edgeJson(edge, scorePath);
    const timing = headers.get("server-timing") ?? "";
    for (const metric of ["features", "session", "model-demo-propensity", "total"]) {
      expect(timing).toContain(metric);
    }
  });

  it("reads a user's features from KV once, then from the isolate's cache", async () => {
    const path = "/score?model=demo-propensity&user_id=demo-9";
    const before = ((await edgeJson(edge, "/health")).body.features as { kvReads: number }).kvReads;
    for (let i = 0; i < 5; i++) {
      expect((await edgeJson(edge, path)).status).toBe(200);
    }
    const after = ((await edgeJson(edge, "/health")).body.features as { kvReads: number }).kvReads;
    expect(after - before).toBe(1);
  });

  it("caches an unknown user's absence too", async () => {
    const before = ((await edgeJson(edge, "/health")).body.features as { kvReads: number }).kvReads;
    for (let i = 0; i < 3; i++) {
      expect((await edgeJson(edge, "/score?model=demo-propensity&user_id=ghost")).status).toBe(404);
    }
    const after = ((await edgeJson(edge, "/health")).body.features as { kvReads: number }).kvReads;
    expect(after - before).toBe(1);
  });
});

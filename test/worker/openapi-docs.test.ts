/**
 * The edge's OpenAPI document and docs page, served by the built Worker in workerd: every route is in
 * the document with its schemas, the keyed ones need the bearer key and /health none, and the page runs
 * Scalar's bundle from the Worker itself.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestEdge, type TestEdge } from "../support/local-edge.ts";

let edge: TestEdge;

beforeAll(async () => {
  edge = await startTestEdge();
});
afterAll(async () => {
  await edge?.dispose();
});

interface Operation {
  operationId?: string;
  security?: unknown[];
  parameters?: Array<{ name: string; in: string }>;
  requestBody?: { content: Record<string, { schema: unknown }> };
  responses: Record<string, unknown>;
}

describe("GET /openapi.json at the edge", () => {
  it("documents every route, without a key, from the schemas the routes parse with", async () => {
    const response = await fetch(new URL("/openapi.json", edge.url));
    expect(response.status).toBe(200);
    const document = (await response.json()) as {
      openapi: string;
      servers: Array<{ url: string }>;
      paths: Record<string, Record<string, Operation>>;
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };
    expect(document.openapi).toBe("3.1.0");
    expect(document.servers[0]?.url).toBe(new URL(edge.url).origin);
    expect(document.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
    const operations = Object.entries(document.paths).flatMap(([path, methods]) =>
      Object.entries(methods).map(([method, operation]) => ({
        key: `${method.toUpperCase()} ${path}`,
        operation,
      })),
    );
    expect(operations.map((o) => o.key).sort()).toEqual([
      "GET /health",
      "GET /items/{id}/similar",
      "GET /recommendations",
      "GET /score",
      "POST /analyze-sentiment",
      "POST /events",
      "POST /predict",
      "POST /rank",
      "POST /reward",
    ]);
    for (const { key, operation } of operations) {
      expect(operation.operationId, key).toMatch(/^[a-zA-Z]+$/);
      expect(operation.security, key).toEqual(key === "GET /health" ? [] : [{ apiKey: [] }]);
    }
    const byKey = Object.fromEntries(operations.map((o) => [o.key, o.operation]));
    // The query schema of GET /recommendations, the body schema of POST /rank.
    expect(byKey["GET /recommendations"]?.parameters?.map((p) => p.name)).toEqual(
      expect.arrayContaining(["user_id", "surface", "k", "exclude", "explain"]),
    );
    expect(byKey["GET /items/{id}/similar"]?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: "id", in: "path" })]),
    );
    const rankBody = JSON.stringify(byKey["POST /rank"]?.requestBody);
    expect(rankBody).toContain("actions");
    expect(rankBody).toContain("context");
  });
});

describe("GET /docs at the edge", () => {
  it("serves the API reference page and Scalar's bundle from the Worker", async () => {
    const page = await fetch(new URL("/docs", edge.url));
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/docs/scalar.js"></script>');
    expect(html).toContain('"url":"/openapi.json"');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await fetch(new URL("/docs/scalar.js", edge.url));
    expect(script.status).toBe(200);
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
  });
});

/** The origin's OpenAPI document (servers, operationIds, /health open) and its docs page. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startTestOrigin, type TestOrigin } from "../support/origin-app.ts";

let origin: TestOrigin;
beforeAll(async () => {
  origin = await startTestOrigin();
});
afterAll(async () => {
  await origin.close();
});

describe("the origin's OpenAPI document", () => {
  it("names its server, gives every operation an operationId, and needs no key for /health", async () => {
    const document = (await (await origin.app.request("http://origin.test:8080/openapi.json")).json()) as {
      servers: Array<{ url: string }>;
      paths: Record<string, Record<string, { operationId?: string; security?: unknown[] }>>;
    };
    expect(document.servers).toEqual([{ url: "http://origin.test:8080", description: "this origin" }]);
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    expect(operations.length).toBeGreaterThanOrEqual(6);
    const ids = operations.map((operation) => operation.operationId);
    expect(ids.every((id) => typeof id === "string" && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(document.paths["/health"]?.get?.security).toEqual([]);
    expect(document.paths["/v1/events/batch"]?.post?.security).toEqual([{ ingestKey: [] }]);
  });

  it("serves its API reference page with Scalar's bundle from the origin, not a CDN", async () => {
    const page = await origin.app.request("/docs");
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain('<script src="/docs/scalar.js"></script>');
    expect(html).not.toMatch(/https?:\/\//);
    const script = await origin.app.request("/docs/scalar.js");
    expect(script.headers.get("content-type")).toMatch(/javascript/);
    expect((await script.text()).length).toBeGreaterThan(1_000_000);
  });
});

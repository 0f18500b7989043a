/**
 * The production REST client, unchanged, against a local stand-in of the Cloudflare API that writes
 * through workerd's KV: the shared conformance suite, then batching, retries and failures.
 */
import { afterAll, describe, expect, it } from "vitest";
import type { LocalEdge } from "../../../../origin/dev/local-edge/local-edge.ts";
import {
  type CloudflareKvConfig,
  createCloudflareKvWriter,
} from "../../../../origin/release/publish/cloudflare-kv-writer.ts";
import { KvWriterError } from "../../../../origin/release/publish/kv-writer.ts";
import { type CloudflareKvApi, startCloudflareKvApi } from "../../../support/cloudflare-kv-api.ts";
import { startTestEdge } from "../../../support/local-edge.ts";
import { rejectionOf } from "../../../support/rejection.ts";
import { describeKvWriterConformance } from "./kv-writer.conformance.ts";

const limits = { pairs: 16, bodyBytes: 64 * 1024 };
const listPageSize = 10;

let started: Promise<{ edge: LocalEdge; api: CloudflareKvApi }> | undefined;
function shared() {
  started ??= (async () => {
    const edge = await startTestEdge();
    const api = await startCloudflareKvApi({
      edge,
      accountId: "test-account",
      apiToken: "test-token",
      namespaces: { "models-ns": "MODELS" },
      maxPairs: limits.pairs,
      maxBodyBytes: limits.bodyBytes,
    });
    return { edge, api };
  })();
  return started;
}

afterAll(async () => {
  const { edge, api } = await shared();
  await api.close();
  await edge.dispose();
});

/** A client for the stand-in whose waits are recorded, not slept. */
async function client(overrides: Partial<CloudflareKvConfig> = {}) {
  const { api } = await shared();
  const delaysMs: number[] = [];
  const writer = createCloudflareKvWriter({
    accountId: "test-account",
    apiToken: "test-token",
    namespaceId: "models-ns",
    baseUrl: api.baseUrl,
    maxBatchPairs: limits.pairs,
    maxBatchBytes: limits.bodyBytes,
    listPageSize,
    ...overrides,
    retry: {
      sleep: async (ms) => {
        delaysMs.push(ms);
      },
      ...overrides.retry,
    },
  });
  return { api, writer, delaysMs };
}

const failureOf = (promise: Promise<unknown>) => rejectionOf(promise, KvWriterError);

describeKvWriterConformance("Cloudflare REST API (local stand-in over workerd KV)", async () => ({
  writer: (await client()).writer,
  listPageSize,
  cleanup: async () => {},
}));

describe("Cloudflare KV writer: batching, retries and failures", () => {
  it("splits a bulk write into requests within the pair limit and the byte limit", async () => {
    const { api, writer } = await client();
    const seen = api.requests.length;
    const small = Array.from({ length: 40 }, (_, i) => ({ key: `cf-batch/s${i}`, value: `v${i}` }));
    // 20 KiB of bytes is about 27 KiB of base64: two fit under 64 KiB, three do not.
    const large = Array.from({ length: 6 }, (_, i) => ({
      key: `cf-batch/l${i}`,
      value: new Uint8Array(20_480).fill(i),
    }));
    await writer.putMany([...small, ...large]);
    const bulk = api.requests.slice(seen).filter((request) => request.route === "/bulk");
    expect(bulk.every((request) => request.status === 200)).toBe(true);
    expect(
      bulk.every((request) => request.items <= limits.pairs && request.bodyBytes <= limits.bodyBytes),
    ).toBe(true);
    expect(bulk.map((request) => request.items)).toEqual([16, 16, 10, 2, 2]);
    expect(await writer.getBytes("cf-batch/l5")).toEqual(new Uint8Array(20_480).fill(5));
    expect(await writer.getText("cf-batch/s39")).toBe("v39");
  });

  it("waits as long as a 429's Retry-After says, then succeeds", async () => {
    const { api, writer, delaysMs } = await client();
    api.failNext(2, { status: 429, retryAfter: "3", route: "/bulk" });
    await writer.putMany([{ key: "cf-429/k", value: "stored" }]);
    expect(delaysMs).toEqual([3000, 3000]);
    expect(await writer.getText("cf-429/k")).toBe("stored");
  });

  it("backs off exponentially with jitter on 5xx, then succeeds", async () => {
    const { api, writer, delaysMs } = await client({ retry: { initialBackoffMs: 100, random: () => 0.5 } });
    api.failNext(1, { status: 500, route: "/bulk" });
    api.failNext(1, { status: 503, route: "/bulk" });
    api.failNext(1, { status: 502, route: "/bulk" });
    await writer.putMany([{ key: "cf-5xx/k", value: "stored" }]);
    expect(delaysMs).toEqual([50, 100, 200]);
    expect(await writer.getText("cf-5xx/k")).toBe("stored");
  });

  it("retries reads and listings too", async () => {
    const { api, writer, delaysMs } = await client();
    await writer.putMany([{ key: "cf-read/k", value: "v" }]);
    api.failNext(1, { status: 502, route: "/values" });
    api.failNext(1, { status: 429, route: "/keys" });
    expect(await writer.getText("cf-read/k")).toBe("v");
    const listed = [];
    for await (const page of writer.listKeys("cf-read/")) {
      listed.push(...page);
    }
    expect(listed.map((key) => key.name)).toEqual(["cf-read/k"]);
    expect(delaysMs).toHaveLength(2);
  });

  it("gives up after the last attempt and names the keys and the status", async () => {
    const { api, writer } = await client({ retry: { maxAttempts: 3, initialBackoffMs: 1 } });
    const seen = api.requests.length;
    api.failNext(3, { status: 503, route: "/bulk" });
    const error = await failureOf(writer.putMany([{ key: "cf-giveup/a", value: "a" }]));
    expect(error.status).toBe(503);
    expect(error.keys).toEqual(["cf-giveup/a"]);
    expect(error.message).toMatch(/cf-giveup\/a.*gave up after 3 attempts.*HTTP 503/);
    expect(api.requests.slice(seen)).toHaveLength(3);
    expect(await writer.getText("cf-giveup/a")).toBeNull();
  });

  it("fails at once on a 4xx other than 429, with the API's own message", async () => {
    const { api, writer } = await client({ apiToken: "wrong-token" });
    const seen = api.requests.length;
    const error = await failureOf(writer.putMany([{ key: "cf-401/a", value: "a" }]));
    expect(error.status).toBe(401);
    expect(error.message).toContain("10000 Authentication error");
    expect(api.requests.slice(seen)).toHaveLength(1);
  });

  it("after a rejected batch, names that batch's keys and every key not yet sent", async () => {
    // The client allows larger bodies than the server: the second batch is refused with 413.
    const { writer } = await client({ maxBatchBytes: 4 * limits.bodyBytes });
    const first = Array.from({ length: limits.pairs }, (_, i) => ({ key: `cf-413/a${i}`, value: "small" }));
    const big = Array.from({ length: 3 }, (_, i) => ({ key: `cf-413/b${i}`, value: new Uint8Array(40_000) }));
    const error = await failureOf(writer.putMany([...first, ...big, { key: "cf-413/c", value: "late" }]));
    expect(error.status).toBe(413);
    expect(error.keys).toEqual(["cf-413/b0", "cf-413/b1", "cf-413/b2", "cf-413/c"]);
    expect(error.message).toContain("exceeds");
    expect(await writer.getText("cf-413/a0")).toBe("small");
  });

  it("sends again only the keys the API reports as not stored", async () => {
    const { api, writer, delaysMs } = await client();
    const seen = api.requests.length;
    api.reportUnsuccessfulOnce(["cf-partial/2"]);
    await writer.putMany(
      ["cf-partial/1", "cf-partial/2", "cf-partial/3"].map((key) => ({ key, value: key })),
    );
    expect(api.requests.slice(seen).map((request) => request.items)).toEqual([3, 1]);
    expect(delaysMs).toHaveLength(1);
    expect(await writer.getText("cf-partial/2")).toBe("cf-partial/2");
  });

  it("retries a network failure and then reports it", async () => {
    const { writer, delaysMs } = await client({
      baseUrl: "http://127.0.0.1:1/client/v4",
      retry: { maxAttempts: 2 },
    });
    const error = await failureOf(writer.getText("cf-down/k"));
    expect(error.message).toContain("network error");
    expect(delaysMs).toHaveLength(1);
  });
});

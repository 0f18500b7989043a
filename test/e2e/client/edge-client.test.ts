/**
 * @edgewise/client against the real local stack: every edge route and the origin's ingestion called
 * through the client (a real workerd running the built Worker, a real origin over HTTP), then retries
 * proven against a real server in front of them that fails before it succeeds, and 4xx answers that are
 * never retried. The sample shop (generated, trained and published by the stack) supplies users and items.
 */
import path from "node:path";
import { build } from "esbuild";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { clientBuildOptions } from "../../../client/esbuild-options.ts";
import {
  createEdgeClient,
  createIngestClient,
  type EdgeClient,
  EdgewiseError,
  type RetryNotice,
} from "../../../client/src/index.ts";
import { type ClientStack, ORIGIN_INGEST_KEY, startClientStack } from "../../support/client-stack.ts";
import { eventually } from "../../support/eventually.ts";
import { type FaultyProxy, startFaultyProxy } from "../../support/faulty-proxy.ts";

let stack: ClientStack;
let client: EdgeClient;
let edgeProxy: FaultyProxy;
let originProxy: FaultyProxy;
let retries: RetryNotice[];
/** Through the faulty proxies; no backoff wait (random 0) unless the server sends Retry-After. */
let viaProxy: EdgeClient;

beforeAll(async () => {
  stack = await startClientStack();
  client = createEdgeClient({ edgeUrl: stack.edge.url, apiKey: stack.edge.apiKey });
  edgeProxy = await startFaultyProxy(stack.edge.url);
  originProxy = await startFaultyProxy(stack.originUrl);
  retries = [];
  viaProxy = createEdgeClient({
    edgeUrl: edgeProxy.url,
    apiKey: stack.edge.apiKey,
    retry: { retries: 3, random: () => 0, onRetry: (notice) => retries.push(notice) },
  });
});

afterAll(async () => {
  await edgeProxy?.close();
  await originProxy?.close();
  await stack?.close();
});

const userId = () => stack.data.users[0]!.userId;
const itemId = () => stack.data.items[0]!.itemId;

describe("every edge route through the client", () => {
  it("reads the edge's health with the published manifest", async () => {
    const health = await client.health();
    expect(health.status).toBe("ok");
    expect(health.manifest?.version).toBeGreaterThanOrEqual(1);
  });

  it("gets a known user's personalised recommendations with a decision id and a propensity per item", async () => {
    const answer = await client.recommendations({ user_id: userId(), k: 5, explain: true });
    expect(answer).toMatchObject({ user_id: userId(), surface: "home", cold_start: false, degraded: false });
    expect(answer.items).toHaveLength(5);
    expect(answer.propensities).toHaveLength(5);
    expect(answer.items.every((item) => (item.reasons ?? []).length > 0)).toBe(true);
    const catalogue = new Set(stack.data.items.map((item) => item.itemId));
    expect(answer.items.every((item) => catalogue.has(item.item_id))).toBe(true);
  });

  it("passes filters and exclusions as the edge's query parameters", async () => {
    const first = await client.recommendations({ user_id: userId(), k: 3 });
    const excluded = first.items.map((item) => item.item_id);
    const again = await client.recommendations({ user_id: userId(), k: 3, exclude: excluded });
    expect(again.items.map((item) => item.item_id).filter((id) => excluded.includes(id))).toEqual([]);
    const category = stack.data.items[0]!.category;
    const inCategory = await client.recommendations({ user_id: userId(), k: 3, category: [category] });
    const categoryOf = new Map(stack.data.items.map((item) => [item.itemId, item.category]));
    expect(inCategory.items.length).toBeGreaterThan(0);
    expect(inCategory.items.every((item) => categoryOf.get(item.item_id) === category)).toBe(true);
  });

  it("gets an item's nearest items by the published vectors", async () => {
    const answer = await client.similarItems(itemId(), { k: 4 });
    expect(answer).toMatchObject({ item_id: itemId(), degraded: false });
    expect(answer.items).toHaveLength(4);
    expect(answer.items.map((item) => item.item_id)).not.toContain(itemId());
  });

  it("analyzes sentiment (this shop publishes no sentiment model, so the lexicon answers, degraded)", async () => {
    const answer = await client.analyzeSentiment("I love it, excellent quality");
    expect(answer).toMatchObject({ label: "positive", degraded: true, model: "afinn-165-lexicon" });
    expect(answer.score).toBeGreaterThan(0.5);
  });

  it("predicts (no behaviour model is published here: a degraded answer, not an error)", async () => {
    const answer = await client.predict({ user_id: userId() });
    expect(answer).toMatchObject({ model: "behaviour", degraded: true, version: null });
  });

  it("reports GET /score for a model the edge does not publish as a 404 EdgewiseError, sent once", async () => {
    const error = await client.score({ model: "behaviour", user_id: userId() }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EdgewiseError);
    expect(error).toMatchObject({ status: 404, code: "model_not_found", attempts: 1 });
  });

  it("ranks actions, and a reward for the decision reaches the origin's learning log once", async () => {
    const ranked = await client.rank({
      context: { user_id: userId(), surface: "home", features: { hour: 9 } },
      actions: [{ id: "a" }, { id: "b" }, { id: "c" }],
      k: 2,
    });
    expect(ranked.ranking).toHaveLength(2);
    expect(ranked.degraded).toBe(false);
    const reward = await client.reward({
      decision_id: ranked.decision_id,
      reward: 1,
      event_id: "client-reward-1",
    });
    expect(reward).toMatchObject({
      accepted: true,
      decision_id: ranked.decision_id,
      event_id: "client-reward-1",
    });
    const stored = await eventually(
      () => stack.storedRewards(ranked.decision_id),
      (rows) => rows.length > 0,
    );
    expect(stored.map((row) => row.eventId)).toEqual(["client-reward-1"]);
    expect(stored[0]!.record).toMatchObject({ reward: 1 });
  });

  it("gives a reward without an event_id one, so that a retry of it is the same reward", async () => {
    const ranked = await client.rank({ context: { surface: "home" }, actions: [{ id: "x" }, { id: "y" }] });
    const reward = await client.reward({
      decision_id: ranked.decision_id,
      slot_rewards: [{ slot: 1, reward: 0.5 }],
    });
    expect(reward.event_id).toMatch(/^[0-9a-f-]{36}$/);
  });

  it("sends events to the edge, which the origin stores once each", async () => {
    const events = ["view", "click"].map((type, i) => ({
      event_id: `client-events-${i}`,
      type: type as "view" | "click",
      user_id: userId(),
      item_id: itemId(),
      ts: Date.now(),
    }));
    const answer = await client.sendEvents(events);
    expect(answer).toMatchObject({ accepted: 2, rejected: [], forwarding: "direct" });
    const stored = await eventually(
      () => stack.storedEvents("client-events-"),
      (rows) => rows.length >= 2,
    );
    expect(stored.map((row) => row.eventId).sort()).toEqual(["client-events-0", "client-events-1"]);
  });

  it("reports an event the contract refuses by index, with the others accepted", async () => {
    const answer = await client.sendEvents([
      { event_id: "client-mixed-0", type: "click", user_id: userId(), item_id: itemId(), ts: Date.now() },
      { event_id: "client-mixed-1", type: "click", user_id: userId(), ts: Date.now() } as never,
    ]);
    expect(answer.accepted).toBe(1);
    expect(answer.rejected.map((r) => r.index)).toEqual([1]);
  });

  it("ingests a batch at the origin, and the same batch again stores nothing twice", async () => {
    const ingest = createIngestClient({ originUrl: stack.originUrl, ingestKey: ORIGIN_INGEST_KEY });
    const records = [
      {
        event_id: "client-ingest-0",
        type: "purchase" as const,
        user_id: userId(),
        item_id: itemId(),
        ts: Date.now(),
        source: "pos",
      },
      {
        event_id: "client-ingest-1",
        type: "item" as const,
        item_id: "client-new-item",
        title: "New",
        ts: Date.now(),
        source: "import",
      },
    ];
    const first = await ingest.sendBatch(records);
    expect(first).toMatchObject({ received: 2, stored: 2, duplicates: [], rejected: [] });
    const second = await ingest.sendBatch(records);
    expect(second).toMatchObject({ received: 2, stored: 0, rejected: [] });
    expect(second.duplicates.map((d) => d.event_id)).toEqual(["client-ingest-0", "client-ingest-1"]);
  });
});

describe("retries against a real server that fails, then succeeds", () => {
  const sentTo = (proxy: FaultyProxy, path: string) => proxy.requests.filter((r) => r.path === path);

  it("retries GET /recommendations after a 503 and a 429, waiting what Retry-After says", async () => {
    retries.length = 0;
    const before = sentTo(edgeProxy, "/recommendations").length;
    edgeProxy.failNext("/recommendations", [
      { status: 503 },
      { status: 429, headers: { "retry-after": "1" } },
    ]);
    const answer = await viaProxy.recommendations({ user_id: userId(), k: 2 });
    expect(answer.items).toHaveLength(2);
    expect(
      sentTo(edgeProxy, "/recommendations")
        .slice(before)
        .map((r) => r.status),
    ).toEqual([503, 429, 200]);
    expect(retries.map((r) => [r.status, r.delayMs])).toEqual([
      [503, 0],
      [429, 1000],
    ]);
  });

  it("retries after a network error (the connection dropped)", async () => {
    const before = sentTo(edgeProxy, "/health").length;
    edgeProxy.dropNext("/health", 1);
    const health = await viaProxy.health();
    expect(health.status).toBe("ok");
    expect(
      sentTo(edgeProxy, "/health")
        .slice(before)
        .map((r) => r.failed),
    ).toEqual([true, false]);
  });

  it("retries POST /events, and the origin stores each event once", async () => {
    const before = sentTo(edgeProxy, "/events").length;
    edgeProxy.failNext("/events", [{ status: 502 }, { status: 503 }]);
    const answer = await viaProxy.sendEvents([
      { event_id: "client-retried-0", type: "view", user_id: userId(), item_id: itemId(), ts: Date.now() },
    ]);
    expect(answer.accepted).toBe(1);
    expect(
      sentTo(edgeProxy, "/events")
        .slice(before)
        .map((r) => r.status),
    ).toEqual([502, 503, 202]);
    const stored = await eventually(
      () => stack.storedEvents("client-retried-"),
      (rows) => rows.length > 0,
    );
    expect(stored.map((row) => row.eventId)).toEqual(["client-retried-0"]);
  });

  it("retries POST /reward with the same event_id each time", async () => {
    const ranked = await client.rank({ context: { surface: "home" }, actions: [{ id: "p" }, { id: "q" }] });
    const before = sentTo(edgeProxy, "/reward").length;
    edgeProxy.failNext("/reward", [{ status: 500 }]);
    await viaProxy.reward({ decision_id: ranked.decision_id, reward: 1 });
    const sent = sentTo(edgeProxy, "/reward").slice(before);
    expect(sent.map((r) => r.status)).toEqual([500, 202]);
    const ids = sent.map((r) => (JSON.parse(r.body) as { event_id: string }).event_id);
    expect(ids[0]).toBe(ids[1]);
  });

  it("retries the origin's ingestion after a 503 and stores the batch once", async () => {
    const ingest = createIngestClient({
      originUrl: originProxy.url,
      ingestKey: ORIGIN_INGEST_KEY,
      retry: { random: () => 0 },
    });
    originProxy.failNext("/v1/events/batch", [{ status: 503, headers: { "retry-after": "0" } }]);
    const result = await ingest.sendBatch([
      { event_id: "client-origin-retry-0", type: "view", user_id: userId(), ts: Date.now(), source: "web" },
    ]);
    expect(result.stored).toBe(1);
    expect(sentTo(originProxy, "/v1/events/batch").map((r) => r.status)).toEqual([503, 200]);
    expect((await stack.storedEvents("client-origin-retry-")).length).toBe(1);
  });
});

describe("a 4xx is never retried", () => {
  const sentTo = (proxy: FaultyProxy, path: string) => proxy.requests.filter((r) => r.path === path);

  it("sends a request the edge refuses (400 unknown_surface) once", async () => {
    const before = sentTo(edgeProxy, "/recommendations").length;
    const error = await viaProxy
      .recommendations({ user_id: userId(), surface: "nowhere" })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 400, code: "unknown_surface", attempts: 1 });
    expect(sentTo(edgeProxy, "/recommendations").length - before).toBe(1);
  });

  it("sends an idempotent call once when a server in between answers 404 or 408", async () => {
    for (const status of [404, 408]) {
      const before = sentTo(edgeProxy, "/health").length;
      edgeProxy.failNext("/health", [{ status }]);
      const error = await viaProxy.health().catch((e: unknown) => e);
      expect(error).toMatchObject({ status, attempts: 1 });
      expect(sentTo(edgeProxy, "/health").length - before).toBe(1);
    }
  });

  it("sends a batch with a wrong ingestion key once (401)", async () => {
    const ingest = createIngestClient({ originUrl: originProxy.url, ingestKey: "not-the-key" });
    const before = sentTo(originProxy, "/v1/events/batch").length;
    const error = await ingest
      .sendBatch([
        { event_id: "client-bad-key", type: "view", user_id: userId(), ts: Date.now(), source: "web" },
      ])
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 401, attempts: 1 });
    expect(sentTo(originProxy, "/v1/events/batch").length - before).toBe(1);
  });

  it("never retries POST /rank, whose every call is a new decision, even after a 503", async () => {
    const before = sentTo(edgeProxy, "/rank").length;
    edgeProxy.failNext("/rank", [{ status: 503 }]);
    const error = await viaProxy
      .rank({ context: { surface: "home" }, actions: [{ id: "a" }] })
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 503, attempts: 1 });
    expect(sentTo(edgeProxy, "/rank").length - before).toBe(1);
  });
});

describe("the client inside a Worker", () => {
  let worker: Miniflare | undefined;

  afterAll(async () => {
    await worker?.dispose();
  });

  it("calls the edge from workerd with the same bundle-ready code", async () => {
    const bundle = await build({
      ...clientBuildOptions,
      entryPoints: [path.join(import.meta.dirname, "client-worker.ts")],
      write: false,
    });
    // Written in Miniflare 4's option shape, which Miniflare 5 converts (as origin/local-edge does).
    worker = new Miniflare(
      convertV4MiniflareOptions({
        workers: [
          {
            name: "client-worker",
            modules: [{ type: "ESModule", path: "client-worker.js", contents: bundle.outputFiles![0]!.text }],
            compatibilityDate: "2026-11-01",
            bindings: { EDGE_URL: stack.edge.url.href, EDGE_API_KEY: stack.edge.apiKey },
          },
        ],
      }),
    );
    const response = await worker.dispatchFetch(
      `http://client-worker/?user_id=${userId()}&event_id=client-from-workerd-0`,
    );
    const body = (await response.json()) as {
      recommendations: { user_id: string; items: unknown[] };
      events: { accepted: number };
      userAgent: string;
    };
    expect(body.userAgent).toBe("Cloudflare-Workers");
    expect(body.recommendations.user_id).toBe(userId());
    expect(body.recommendations.items).toHaveLength(3);
    expect(body.events.accepted).toBe(1);
    const stored = await eventually(
      () => stack.storedEvents("client-from-workerd-"),
      (rows) => rows.length > 0,
    );
    expect(stored.map((row) => row.eventId)).toEqual(["client-from-workerd-0"]);
  });
});

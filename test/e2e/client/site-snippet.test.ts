/**
 * The site snippet's demo page in a real Chromium (Debian's, driven by playwright-core) against the real
 * local stack: the recommendations block shows what the edge recommends to the page's user, views and a
 * click reach the origin's event store exactly once each (sent by the batcher on its timer and when the
 * page is left), and a click on a recommended item rewards the edge's decision for that slot. The edge is
 * reached through a recording proxy, so every request the page sent is known. Screenshots go to
 * test-results/ (not committed).
 */
import { existsSync } from "node:fs";
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoServer, serveDemoPage } from "../../../client/demo/serve-demo.ts";
import { createEdgeClient } from "../../../client/src/index.ts";
import { type ClientStack, startClientStack } from "../../support/client-stack.ts";
import { eventually } from "../../support/eventually.ts";
import { type FaultyProxy, startFaultyProxy } from "../../support/faulty-proxy.ts";
import { chromiumPath, launchHeadlessChromium } from "../../support/headless-chromium.ts";
import { projectRoot } from "../../support/local-edge.ts";

const screenshots = path.join(projectRoot, "test-results");

let browser: Browser;

interface DemoStack {
  demo: DemoServer;
  stack: ClientStack;
  /** Between the page and the edge: records every request the page sent. */
  edgeProxy: FaultyProxy;
  page: Page;
  consoleErrors: string[];
  userId: string;
  featuredItemId: string;
  /** Event ids in every POST /events the page sent, one entry per sending. */
  sentEventIds(): string[];
  close(): Promise<void>;
}

/** The demo page on its own stack; `withApiKey: false` runs an edge that takes requests without a key. */
async function startDemoStack(withApiKey: boolean): Promise<DemoStack> {
  const demo = await serveDemoPage();
  const stack = await startClientStack({
    corsOrigins: [demo.origin],
    ...(withApiKey ? {} : { edgeVars: { REQUIRE_API_KEY: "false" } }),
  });
  const edgeProxy = await startFaultyProxy(stack.edge.url);
  const userId = stack.data.users[3]!.userId;
  const featuredItemId = stack.data.items[1]!.itemId;
  demo.configure({
    edgeUrl: edgeProxy.url.href,
    apiKey: withApiKey ? stack.edge.apiKey : "",
    userId,
    featuredItemId,
    // Longer than a test stays on the page: every event is sent when the page is left.
    flushIntervalMs: 10 * 60_000,
  });
  const context = await browser.newContext();
  const page = await context.newPage();
  const consoleErrors: string[] = [];
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      consoleErrors.push(`${message.text()} (${message.location().url})`);
    }
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  return {
    demo,
    stack,
    edgeProxy,
    page,
    consoleErrors,
    userId,
    featuredItemId,
    sentEventIds: () =>
      edgeProxy.requests
        .filter((r) => r.method === "POST" && r.path === "/events")
        .flatMap((r) => (JSON.parse(r.body) as Array<{ event_id: string }>).map((event) => event.event_id)),
    async close() {
      await context.close();
      await edgeProxy.close();
      await stack.close();
      await demo.close();
    },
  };
}

beforeAll(async () => {
  browser = await launchHeadlessChromium();
  await mkdir(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
});

/** What a page's script sends takes longer to arrive than a direct client's: up to 15 s. */
const eventuallyFromPage = <T>(read: () => Promise<T>, done: (value: T) => boolean) =>
  eventually(read, done, 150);

/**
 * Leaves the page while nothing has been sent yet (the flush interval is longer than a test), which makes
 * the snippet send what it holds, and waits for `count` event ids to have gone out.
 */
async function sentOnLeaving(at: DemoStack, count: number): Promise<string[]> {
  expect(at.sentEventIds()).toEqual([]);
  await at.page.goto(`${at.demo.origin}/elsewhere`);
  return eventuallyFromPage(
    async () => at.sentEventIds(),
    (ids) => ids.length >= count,
  );
}

/** The stored events among the ids `sent`, once all of them are stored (or the wait runs out). */
function storedOf(at: DemoStack, sent: readonly string[]) {
  return eventuallyFromPage(
    async () => (await at.stack.storedEvents()).filter((event) => sent.includes(event.eventId)),
    (events) => events.length >= sent.length,
  );
}

describe("the site snippet's demo page in Chromium", () => {
  let at: DemoStack;
  let shown: string[] = [];
  let decisionId = "";

  beforeAll(async () => {
    at = await startDemoStack(true);
  });
  afterAll(async () => {
    await at?.close();
  });

  it("runs in the installed Chromium", () => {
    expect(existsSync(chromiumPath)).toBe(true);
  });

  it("renders the user's recommendations into the block", async () => {
    await at.page.goto(`${at.demo.origin}/`);
    const block = at.page.locator("[data-edgewise-recommendations]");
    await at.page.waitForSelector("[data-edgewise-recommendations][data-edgewise-state]", {
      state: "attached",
    });
    expect(await block.getAttribute("data-edgewise-state")).toBe("ready");
    const links = block.locator("[data-edgewise-item]");
    shown = await links.evaluateAll((elements) => elements.map((e) => e.getAttribute("data-edgewise-item")!));
    decisionId = (await links.first().getAttribute("data-edgewise-decision")) ?? "";
    await at.page.screenshot({ path: path.join(screenshots, "snippet-demo.png"), fullPage: true });

    // What the edge recommends this user on the same surface, asked directly (the home surface does not
    // explore, so the ranking is the engine's, the same for every request).
    const client = createEdgeClient({ edgeUrl: at.stack.edge.url, apiKey: at.stack.edge.apiKey });
    const expected = await client.recommendations({ user_id: at.userId, surface: "home", k: 6 });
    expect(expected.cold_start).toBe(false);
    expect(shown).toEqual(expected.items.map((item) => item.item_id));
    expect(decisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await links.evaluateAll((e) => e.map((el) => el.getAttribute("data-edgewise-slot")))).toEqual(
      shown.map((_, slot) => String(slot)),
    );
  });

  it("rewards the decision's slot when a recommended item is clicked", async () => {
    const rewarded = at.page.waitForResponse(
      (r) => r.url().endsWith("/reward") && r.request().method() === "POST",
    );
    await at.page.locator(`[data-edgewise-item="${shown[1]}"][data-edgewise-slot="1"]`).click();
    expect((await rewarded).status()).toBe(202);
    await at.page.screenshot({ path: path.join(screenshots, "snippet-demo-clicked.png"), fullPage: true });
    const stored = await eventuallyFromPage(
      () => at.stack.storedRewards(decisionId),
      (rows) => rows.length > 0,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.record).toMatchObject({
      decision_id: decisionId,
      slot_rewards: [{ slot: 1, reward: 1 }],
    });
  });

  it("delivers the page's views and click to the origin exactly once each, the last ones as the page is left", async () => {
    // Leaving the page fires pagehide, and the batcher sends what it holds with a keepalive fetch (this
    // page has an API key, which a beacon cannot carry).
    const sent = await sentOnLeaving(at, shown.length + 3);
    // A page view, a view of the featured item and of each recommended one, and the click.
    expect(sent).toHaveLength(shown.length + 3);
    // No event went out twice: every id is in exactly one request.
    expect(new Set(sent).size).toBe(sent.length);
    const stored = await storedOf(at, sent);
    expect(stored.map((e) => e.eventId).sort()).toEqual([...sent].sort());
    expect(stored.every((e) => e.userId === at.userId)).toBe(true);

    const views = stored.filter((e) => e.type === "view");
    const clicks = stored.filter((e) => e.type === "click");
    // One page view (no item), one view per item on screen (the featured one and each recommended one).
    expect(views.filter((e) => e.itemId === null)).toHaveLength(1);
    expect(
      views
        .filter((e) => e.itemId !== null)
        .map((e) => e.itemId)
        .sort(),
    ).toEqual([at.featuredItemId, ...shown].sort());
    expect(clicks.map((e) => e.itemId)).toEqual([shown[1]]);
    expect(at.consoleErrors).toEqual([]);
  });
});

describe("the site snippet on an edge that takes requests without a key", () => {
  let at: DemoStack;

  beforeAll(async () => {
    at = await startDemoStack(false);
  });
  afterAll(async () => {
    await at?.close();
  });

  it("sends the events it holds with navigator.sendBeacon when the page is left, stored once each", async () => {
    await at.page.goto(`${at.demo.origin}/`);
    await at.page.waitForSelector('[data-edgewise-recommendations][data-edgewise-state="ready"]', {
      state: "attached",
    });
    const shown = await at.page
      .locator("[data-edgewise-recommendations] [data-edgewise-item]")
      .evaluateAll((elements) => elements.map((e) => e.getAttribute("data-edgewise-item")!));
    expect(shown.length).toBeGreaterThan(0);
    const sent = await sentOnLeaving(at, shown.length + 2);
    // A page view and a view of the featured item and of each recommended one.
    expect(sent).toHaveLength(shown.length + 2);
    // A beacon's body is the text/plain Blob the batcher made (a keepalive fetch would send JSON).
    const beacons = at.edgeProxy.requests.filter((r) => r.method === "POST" && r.path === "/events");
    expect(beacons.map((r) => r.contentType?.toLowerCase())).toEqual(
      beacons.map(() => "text/plain;charset=utf-8"),
    );
    const stored = await storedOf(at, sent);
    expect(stored.map((e) => e.eventId).sort()).toEqual([...sent].sort());
    expect(at.consoleErrors).toEqual([]);
  });
});

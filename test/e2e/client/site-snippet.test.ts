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
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type DemoServer, serveDemoPage } from "../../../client/demo/serve-demo.ts";
import { createEdgeClient } from "../../../client/src/index.ts";
import { type ClientStack, startClientStack } from "../../support/client-stack.ts";
import { type FaultyProxy, startFaultyProxy } from "../../support/faulty-proxy.ts";
import { projectRoot } from "../../support/local-edge.ts";

const chromiumPath = "/usr/bin/chromium";
const screenshots = path.join(projectRoot, "test-results");

let demo: DemoServer;
let stack: ClientStack;
let edgeProxy: FaultyProxy;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];

beforeAll(async () => {
  demo = await serveDemoPage();
  stack = await startClientStack({ corsOrigins: [demo.origin] });
  edgeProxy = await startFaultyProxy(stack.edge.url);
  demo.configure({
    edgeUrl: edgeProxy.url.href,
    apiKey: stack.edge.apiKey,
    userId: stack.data.users[3]!.userId,
    featuredItemId: stack.data.items[1]!.itemId,
    // Longer than the test stays on the page: every event is sent when the page is left.
    flushIntervalMs: 10 * 60_000,
  });
  browser = await chromium.launch({
    executablePath: chromiumPath,
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-background-networking",
      "--disable-component-update",
      "--no-first-run",
    ],
  });
  page = await browser.newPage();
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      consoleErrors.push(`${message.text()} (${message.location().url})`);
    }
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  await mkdir(screenshots, { recursive: true });
});

afterAll(async () => {
  await browser?.close();
  await edgeProxy?.close();
  await stack?.close();
  await demo?.close();
});

/** Event ids in every POST /events the page sent, one entry per sending. */
function sentEventIds(): string[] {
  return edgeProxy.requests
    .filter((r) => r.method === "POST" && r.path === "/events")
    .flatMap((r) => (JSON.parse(r.body) as Array<{ event_id: string }>).map((event) => event.event_id));
}

async function eventually<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  for (let i = 0; ; i++) {
    const value = await read();
    if (done(value) || i >= 150) {
      return value;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe("the site snippet's demo page in Chromium", () => {
  const userId = () => stack.data.users[3]!.userId;
  let shown: string[] = [];
  let decisionId = "";

  it("runs in the installed Chromium", () => {
    expect(existsSync(chromiumPath)).toBe(true);
  });

  it("renders the user's recommendations into the block", async () => {
    await page.goto(`${demo.origin}/`);
    const block = page.locator("[data-edgewise-recommendations]");
    await page.waitForSelector("[data-edgewise-recommendations][data-edgewise-state]", { state: "attached" });
    expect(await block.getAttribute("data-edgewise-state")).toBe("ready");
    const links = block.locator("[data-edgewise-item]");
    shown = await links.evaluateAll((elements) => elements.map((e) => e.getAttribute("data-edgewise-item")!));
    decisionId = (await links.first().getAttribute("data-edgewise-decision")) ?? "";
    await page.screenshot({ path: path.join(screenshots, "snippet-demo.png"), fullPage: true });

    // What the edge recommends this user on the same surface, asked directly (the home surface does not
    // explore, so the ranking is the engine's, the same for every request).
    const client = createEdgeClient({ edgeUrl: stack.edge.url, apiKey: stack.edge.apiKey });
    const expected = await client.recommendations({ user_id: userId(), surface: "home", k: 6 });
    expect(expected.cold_start).toBe(false);
    expect(shown).toEqual(expected.items.map((item) => item.item_id));
    expect(decisionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(await links.evaluateAll((e) => e.map((el) => el.getAttribute("data-edgewise-slot")))).toEqual(
      shown.map((_, slot) => String(slot)),
    );
  });

  it("rewards the decision's slot when a recommended item is clicked", async () => {
    const rewarded = page.waitForResponse(
      (r) => r.url().endsWith("/reward") && r.request().method() === "POST",
    );
    await page.locator(`[data-edgewise-item="${shown[1]}"][data-edgewise-slot="1"]`).click();
    expect((await rewarded).status()).toBe(202);
    await page.screenshot({ path: path.join(screenshots, "snippet-demo-clicked.png"), fullPage: true });
    const stored = await eventually(
      () => stack.storedRewards(decisionId),
      (rows) => rows.length > 0,
    );
    expect(stored).toHaveLength(1);
    expect(stored[0]!.record).toMatchObject({
      decision_id: decisionId,
      slot_rewards: [{ slot: 1, reward: 1 }],
    });
  });

  it("delivers the page's views and click to the origin exactly once each, the last ones as the page is left", async () => {
    // Nothing sent yet (the flush interval is longer than the test); leaving the page fires pagehide, and
    // the batcher sends what it holds with a keepalive fetch (this page has an API key, which a beacon
    // cannot carry).
    expect(sentEventIds()).toEqual([]);
    await page.goto(`${demo.origin}/elsewhere`);
    const sent = await eventually(
      async () => sentEventIds(),
      (ids) => ids.length >= shown.length + 3,
    );
    // A page view, a view of the featured item and of each recommended one, and the click.
    expect(sent).toHaveLength(shown.length + 3);
    // No event went out twice: every id is in exactly one request.
    expect(new Set(sent).size).toBe(sent.length);
    const stored = await eventually(
      async () => (await stack.storedEvents()).filter((event) => sent.includes(event.eventId)),
      (events) => events.length >= sent.length,
    );
    expect(stored.map((e) => e.eventId).sort()).toEqual([...sent].sort());
    expect(stored.every((e) => e.userId === userId())).toBe(true);

    const views = stored.filter((e) => e.type === "view");
    const clicks = stored.filter((e) => e.type === "click");
    // One page view (no item), one view per item on screen (the featured one and each recommended one).
    expect(views.filter((e) => e.itemId === null)).toHaveLength(1);
    expect(
      views
        .filter((e) => e.itemId !== null)
        .map((e) => e.itemId)
        .sort(),
    ).toEqual([stack.data.items[1]!.itemId, ...shown].sort());
    expect(clicks.map((e) => e.itemId)).toEqual([shown[1]]);
    expect(consoleErrors).toEqual([]);
  });
});

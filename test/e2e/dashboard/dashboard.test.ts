/**
 * Issue 15 item 1: the origin's dashboard in a real Chromium (Debian's, driven by playwright-core) on a
 * stack with two releases published to a real workerd's KV and an experiment in the learning log: the
 * plots hold the stored values, and the rollback button changes the serving release. Screenshots go to
 * test-results/ (not committed).
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestRecord, kvKeys } from "../../../models/contracts/index.ts";
import { generateTasteClusterData } from "../../../origin/dev/sample-data/index.ts";
import { createPostgresJsonbRawPayloadStore } from "../../../origin/ingest/raw/index.ts";
import {
  createSqlEventStore,
  openPgliteDatabase,
  type SqlDatabase,
} from "../../../origin/ingest/store/index.ts";
import { createLearningStore, runLearning } from "../../../origin/learn/index.ts";
import { createLogger } from "../../../origin/log.ts";
import {
  createModelRegistry,
  fixedTargets,
  headlineMetric,
  listReleases,
  type ModelRegistry,
  type PublishTargets,
  readManifest,
  servedModels,
} from "../../../origin/release/index.ts";
import {
  createOriginApp,
  listen,
  type RunningServer,
  startRequestSampler,
} from "../../../origin/server/index.ts";
import { runTrainingCycle } from "../../../origin/train/index.ts";
import { experimentLogs, T0 } from "../../origin/learn/support/learning-records.ts";
import { launchHeadlessChromium } from "../../support/headless-chromium.ts";
import { projectRoot, startTestEdge, type TestEdge } from "../../support/local-edge.ts";

const ADMIN_KEY = "admin-key-for-the-dashboard-test";
const INGEST_KEY = "ingest-key-for-the-dashboard-test";
const screenshots = path.join(projectRoot, "test-results");

let database: SqlDatabase;
let edge: TestEdge;
let targets: PublishTargets;
let registry: ModelRegistry;
let server: RunningServer;
let browser: Browser;
let page: Page;
const consoleErrors: string[] = [];
const sampler = startRequestSampler({ intervalMs: 250 });

beforeAll(async () => {
  database = await openPgliteDatabase();
  await database.migrate();
  const eventStore = createSqlEventStore(database);
  const learningStore = createLearningStore(database.sql);
  registry = createModelRegistry(database.db);
  edge = await startTestEdge();
  targets = await edge.publishTargets();

  const data = generateTasteClusterData({ endMs: Date.now() - 3_600_000, users: 80, items: 50, seed: 21 });
  await eventStore.insertBatch(data.records.map((record) => IngestRecord.parse(record)));
  // Two releases over the same data: the second forced past the gate.
  for (const force of [false, true]) {
    const result = await runTrainingCycle(
      { eventStore, registry, targets: fixedTargets(targets) },
      { trigger: "manual", publish: true, tolerance: 1, force },
    );
    expect(result.outcome).toBe("published");
  }

  // An experiment: two arms, decisions rewarded at different rates, joined by a learning run.
  const experiment = experimentLogs("dash-", "exp-dash");
  await learningStore.insertDecisions(experiment.decisions);
  await learningStore.insertRewards(experiment.rewards);
  await runLearning({ store: learningStore }, { windowMs: 60_000, arrivalDelayMs: 0, nowMs: T0 + 120_000 });

  const app = createOriginApp({
    eventStore,
    rawStore: createPostgresJsonbRawPayloadStore(database.sql),
    learningStore,
    log: createLogger({ level: "silent" }),
    ingest: {
      apiKey: INGEST_KEY,
      maxBodyBytes: 1 << 20,
      maxDecompressedBytes: 1 << 22,
      maxEventsPerBatch: 500,
    },
    admin: {
      key: ADMIN_KEY,
      deps: {
        eventStore,
        registry,
        learningStore,
        targets: fixedTargets(targets),
        requests: sampler,
        locks: database.sql.locks,
      },
    },
  });
  server = await listen(app, { port: 0, host: "127.0.0.1" });
  // A batch with one record the contract refuses, so the rejected table has a reason to show.
  const bad = await fetch(`${server.url}/v1/events/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${INGEST_KEY}` },
    body: JSON.stringify([
      { event_id: "dash-bad-ts", type: "view", user_id: "u", item_id: "i", ts: "yesterday", source: "web" },
    ]),
  });
  expect(bad.status).toBe(422);
  await sampler.sample();

  await mkdir(screenshots, { recursive: true });
  browser = await launchHeadlessChromium();
  page = await browser.newPage({ viewport: { width: 1400, height: 1100 } });
  page.on("console", (message) => {
    if (message.type() === "error" || message.type() === "warning") {
      consoleErrors.push(`${message.text()} (${message.location().url})`);
    }
  });
  page.on("pageerror", (error) => consoleErrors.push(error.message));
  page.on("dialog", (dialog) => void dialog.accept());
}, 600_000);

afterAll(async () => {
  sampler.stop();
  await browser?.close();
  await server?.close();
  await edge?.dispose();
  await database?.sql.close();
});

/** Opens the page; gives the key when the page asks for it (the session may already hold it). */
async function openDashboard(): Promise<void> {
  await page.goto(`${server.url}/dashboard`);
  await page.waitForSelector("#login:not([hidden]), body[data-loaded=true]");
  if (await page.isVisible("#login")) {
    await page.fill("#key", ADMIN_KEY);
    await page.click("#login button");
  }
  await page.waitForSelector("body[data-loaded=true]");
}

/** Each release's served models' headline metrics, as stored: the KV manifests and the registry rows. */
async function storedMetrics(): Promise<Map<string, Array<number | null>>> {
  const releases = await listReleases(targets.models);
  const series = new Map<string, Array<number | null>>();
  for (const [i, release] of releases.entries()) {
    const manifest = await readManifest(targets.models, kvKeys.manifest(release.version));
    for (const ref of servedModels(manifest!)) {
      const row = await registry.get(ref);
      const metric = headlineMetric(row!.kind);
      const key = `${ref.name} ${metric}`;
      const values = series.get(key) ?? releases.map(() => null);
      values[i] = row!.metrics[metric] ?? null;
      series.set(key, values);
    }
  }
  return series;
}

describe("the dashboard", () => {
  it("asks for the admin key, and the admin API refuses a request without it", async () => {
    expect((await fetch(`${server.url}/v1/admin/overview`)).status).toBe(401);
    await page.goto(`${server.url}/dashboard`);
    expect(await page.isVisible("#login")).toBe(true);
    expect(await page.isVisible("#main")).toBe(false);
  });

  it("plots each release's stored headline metrics, the experiment's intervals and the request history", async () => {
    await openDashboard();
    await page.screenshot({ path: path.join(screenshots, "dashboard.png"), fullPage: true });
    const plotted = await page.evaluate(() => {
      const charts = (
        globalThis as unknown as {
          edgewiseCharts: Record<string, { data: unknown[][]; series: Array<{ label: string }> }>;
        }
      ).edgewiseCharts;
      return {
        releases: { labels: charts.releases!.series.map((s) => s.label), data: charts.releases!.data },
        requests: {
          labels: charts.requests!.series.map((s) => s.label),
          points: charts.requests!.data[0]!.length,
        },
      };
    });
    const stored = await storedMetrics();
    expect(stored.size).toBeGreaterThanOrEqual(1);
    for (const [key, values] of stored) {
      const index = plotted.releases.labels.indexOf(key);
      expect(index, key).toBeGreaterThan(0);
      expect(plotted.releases.data[index]).toEqual(values);
    }
    expect(plotted.releases.data[0]).toHaveLength(2);
    expect(plotted.requests.labels).toEqual(["time", "requests/s", "mean latency (ms)"]);
    expect(plotted.requests.points).toBeGreaterThan(0);
    expect(await page.textContent("#serving-version")).toBe("2");

    const api = (await (
      await fetch(`${server.url}/v1/experiments/exp-dash/results`, {
        headers: { authorization: `Bearer ${INGEST_KEY}` },
      })
    ).json()) as { arms: Array<{ arm: string; reward: { mean: number; lower: number; upper: number } }> };
    for (const arm of api.arms) {
      const group = page.locator(`figure[data-experiment="exp-dash"] g[data-arm="${arm.arm}"]`);
      expect(Number(await group.getAttribute("data-mean"))).toBeCloseTo(arm.reward.mean, 12);
      expect(Number(await group.getAttribute("data-lower"))).toBeCloseTo(arm.reward.lower, 12);
      expect(Number(await group.getAttribute("data-upper"))).toBeCloseTo(arm.reward.upper, 12);
    }
    expect(await page.textContent("#rejected")).toContain("ts");
    expect(await page.textContent("#ingestion")).toContain("purchase");
    expect(await page.textContent("#learning")).toMatch(/home\.(control|treatment)/);
    expect(consoleErrors).toEqual([]);
  });

  it("rolls back to the first release with its button, and the serving release changes", async () => {
    await openDashboard();
    await page.click('button[data-release="1"]');
    await page.waitForSelector("#serving-version:text-is('3')");
    await page.screenshot({ path: path.join(screenshots, "dashboard-after-rollback.png"), fullPage: true });
    const current = JSON.parse((await targets.models.getText(kvKeys.currentManifest))!) as {
      version: number;
      restoredFrom?: number;
    };
    expect(current).toMatchObject({ version: 3, restoredFrom: 1 });
    expect(await page.textContent("#status")).toContain("now serves release 1");
    expect(consoleErrors).toEqual([]);
  });
});

/** The scheduler as `edgewise serve` starts it from the origin's configuration. */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { kvKeys } from "../../../models/contracts/index.ts";
import { startScheduledRetraining } from "../../../origin/cli/scheduled-retraining.ts";
import { loadOriginConfig } from "../../../origin/config.ts";
import { openLocalKv } from "../../../origin/release/publish/open-local-kv.ts";
import { createModelRegistry } from "../../../origin/release/registry/index.ts";
import { projectRoot } from "../../support/local-edge.ts";
import { type GeneratedStore, openGeneratedStore } from "../train/support/trained-store.ts";

let store: GeneratedStore;
let dir: string;

beforeAll(async () => {
  store = await openGeneratedStore({ users: 100, items: 60 });
  dir = await mkdtemp(join(tmpdir(), "edgewise-scheduled-"));
});
afterAll(async () => {
  await store?.eventStore.close();
  await rm(dir, { recursive: true, force: true });
});

describe("scheduled retraining from the configuration", () => {
  it("is off by default", async () => {
    const config = loadOriginConfig({});
    expect(config).toMatchObject({
      RETRAIN_INTERVAL_SECONDS: 0,
      RETRAIN_AFTER_EVENTS: 0,
      RETRAIN_POLL_SECONDS: 30,
      PUBLISH_TOLERANCE: 0.02,
      PUBLISH_TARGET: "local",
      PUBLISH_LOCAL_DIR: ".edgewise/edge",
    });
    expect(await startScheduledRetraining(config, store)).toBeNull();
  });

  it("trains, publishes to the configured local edge KV and logs the run", async () => {
    const lines: string[] = [];
    const config = loadOriginConfig({ RETRAIN_INTERVAL_SECONDS: "3600", PUBLISH_LOCAL_DIR: dir });
    const scheduler = await startScheduledRetraining(config, store, (line) => lines.push(line));
    expect(lines[0]).toBe(`retraining every 3600 s, publishing to local edge KV in ${dir}`);
    const run = await scheduler!.trigger("schedule");
    await scheduler!.stop();
    expect(run.outcome).toBe("published");

    const runs = await createModelRegistry(store.database.db).listRuns();
    expect(runs[0]).toMatchObject({ trigger: "schedule", outcome: "published" });
    const kv = await openLocalKv({ rootDir: projectRoot, persistDir: dir });
    try {
      const manifest = JSON.parse((await kv.models.get(kvKeys.currentManifest, "text"))!);
      expect(manifest.artifacts.catalog.version).toBe(runs[0]!.id);
    } finally {
      await kv.dispose();
    }
  });
});

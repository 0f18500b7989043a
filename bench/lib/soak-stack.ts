/**
 * The local stack of `edgewise start` as one child process for `npm run bench:soak`: the origin (PGlite
 * event store, ingestion API) and the edge Worker in workerd with persisted KV, the sample shop ingested,
 * trained and published once. It then takes commands on stdin, one per line, and answers each with one
 * JSON line on stdout:
 *
 *   publish   retrain and publish with the gate forced (`edgewise publish --force`)
 *   rollback  serve the previous release again (`edgewise rollback`)
 *   stop      dispose of everything and exit
 *
 * Running it as its own process lets the benchmark read the origin's RSS apart from the load generator's.
 * Loopback only: both servers listen on 127.0.0.1.
 */
import path from "node:path";
import { createInterface } from "node:readline";
import { startLocalEdge } from "../../origin/dev/local-edge/local-edge.ts";
import { postRecords } from "../../origin/dev/local-stack/post-sample-data.ts";
import { generateTasteClusterData } from "../../origin/dev/sample-data/index.ts";
import { fixedTargets, rollbackRelease } from "../../origin/release/index.ts";
import { createMiniflareKvWriter, issueApiKey } from "../../origin/release/publish/index.ts";
import { createModelRegistry } from "../../origin/release/registry/index.ts";
import { runTrainingCycle } from "../../origin/train/index.ts";
import { startBenchOrigin } from "./bench-origin.ts";

const dataDir = path.resolve(process.argv[2] ?? "");
if (!process.argv[2]) {
  throw new Error("usage: tsx bench/lib/soak-stack.ts DATA_DIR");
}
const rootDir = path.resolve(import.meta.dirname, "..", "..");

function reply(message: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify(message)}\n`);
}

const origin = await startBenchOrigin(dataDir, process.env);
const { config, stores, ingestKey, url: originUrl } = origin;
const edge = await startLocalEdge({
  rootDir,
  kvPersistDir: path.join(dataDir, "edge"),
  port: 0,
  vars: {
    ORIGIN_INGEST_URL: new URL("/v1/events/batch", originUrl).href,
    ORIGIN_INGEST_KEY: ingestKey,
  },
});
const models = await edge.kv("MODELS");
const targets = {
  models: createMiniflareKvWriter(models),
  features: createMiniflareKvWriter(await edge.kv("FEATURES")),
};
const registry = createModelRegistry(stores.database.db);

async function publish(): Promise<string> {
  const result = await runTrainingCycle(
    { eventStore: stores.eventStore, registry, targets: fixedTargets(targets) },
    { trigger: "manual", publish: true, force: true, tolerance: config.PUBLISH_TOLERANCE },
  );
  if (result.outcome !== "published") {
    throw new Error(result.message);
  }
  return result.message;
}

const sample = generateTasteClusterData({ endMs: Date.now(), seed: 1 });
await postRecords(originUrl, ingestKey, sample.records);
await publish();
const users = (await stores.eventStore.listUsers()).map((user) => user.userId);
reply({
  ready: {
    edgeUrl: edge.url.href,
    originUrl: originUrl.href,
    apiKey: await issueApiKey(models, "soak"),
    users,
  },
});

async function stop(): Promise<void> {
  await edge.dispose();
  await origin.close();
}

async function run(command: string): Promise<string> {
  if (command === "publish") {
    return publish();
  }
  if (command === "rollback") {
    const { manifest } = await rollbackRelease(targets, registry);
    return `manifest ${manifest.version} restores ${manifest.restoredFrom}`;
  }
  throw new Error(`unknown command '${command}'`);
}

for await (const line of createInterface({ input: process.stdin })) {
  const command = line.trim();
  if (command === "stop") {
    break;
  }
  const startedMs = Date.now();
  try {
    const message = await run(command);
    reply({ done: command, ok: true, ms: Date.now() - startedMs, message });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    reply({ done: command, ok: false, ms: Date.now() - startedMs, message });
  }
}
await stop();
process.exit(0);

import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { hashApiKey, kvKeys } from "../../../models/contracts/index.ts";
import { ConfigError, eventStoreBackend, loadOriginConfig } from "../../config.ts";
import {
  generateTasteClusterData,
  localTrainedRelease,
  persistedSecret,
  postRecords,
  randomKey,
  sampleImageFetch,
  startLocalEdge,
  takeOverSignals,
} from "../../dev/index.ts";
import { openOriginStores } from "../../ingest/index.ts";
import { startServeLearning } from "../../learn/index.ts";
import { createLogger } from "../../log.ts";
import { PACKAGE_ROOT } from "../../package-root.ts";
import { fixedTargets, issueApiKey, type KVNamespaceLike, type PublishTargets } from "../../release/index.ts";
import { contentOptions, fetchImage, runTrainingCycle, trainingCycleSettings } from "../../train/index.ts";
import { type Command, UsageError } from "../command.ts";
import { listenOrCloseStores, originServerParts } from "../origin-server.ts";
import { trainingProgress } from "../training-context.ts";

const usage = `usage: edgewise start [--port N] [--origin-port N] [--data-dir DIR]

The local stack: the origin (ingestion API on PGlite in DIR/pglite, raw payloads in its JSONB tables)
and the edge Worker (workerd with KV persisted in DIR/edge, built by \`npm run build\`). On first start
it loads a generated sample shop (300 users in four taste clusters, 200 items in eight categories,
views, carts, purchases, ratings and reviews over 60 days) through the ingestion API, trains every
model, and publishes them to the edge; a later start reuses all of it. Ctrl-C stops both.

  --port N         edge HTTP port (default: $EDGE_PORT or 8787)
  --origin-port N  origin HTTP port (default: $PORT or 8080)
  --data-dir DIR   local state (default: $EDGEWISE_DATA_DIR or .edgewise)`;

export const startCommand: Command = {
  summary: "run the local stack: origin + edge Worker, with a sample shop trained and published",
  usage,
  async run(args) {
    const { values } = parseArgs({
      args,
      options: {
        port: { type: "string" },
        "origin-port": { type: "string" },
        "data-dir": { type: "string" },
      },
      strict: true,
    });
    const edgePort = portOption("--port", values.port, "EDGE_PORT", 8787);
    const originPort = portOption("--origin-port", values["origin-port"], "PORT", 8080);
    const dataDir = path.resolve(values["data-dir"] ?? loadOriginConfig().EDGEWISE_DATA_DIR);
    await mkdir(path.join(dataDir, "edge"), { recursive: true });
    const rootDir = PACKAGE_ROOT;

    const ingestKey = await persistedSecret(path.join(dataDir, "ingest-api-key"), () => randomKey("ingest_"));
    const adminKey = await persistedSecret(path.join(dataDir, "admin-api-key"), () => randomKey("admin_"));
    const config = loadOriginConfig({
      ...process.env,
      PORT: String(originPort),
      EDGEWISE_DATA_DIR: dataDir,
      PGLITE_DIR: path.join(dataDir, "pglite"),
      INGEST_API_KEY: ingestKey,
      ADMIN_API_KEY: adminKey,
      PUBLISH_TARGET: "local",
      PUBLISH_LOCAL_DIR: path.join(dataDir, "edge"),
    });
    console.log(`origin: opening the ${eventStoreBackend(config)} event store`);
    const stores = await openOriginStores(config);
    await stores.migrate();
    // Request lines only when asked for (LOG_LEVEL): this terminal is for the stack's own lines.
    const log = createLogger({ level: process.env.LOG_LEVEL ? config.LOG_LEVEL : "warn" });
    // The dashboard works on the edge started below: its KV is where the releases are.
    let edgeReady: (targets: PublishTargets) => void = () => {};
    const edgeTargets = new Promise<PublishTargets>((resolve) => {
      edgeReady = resolve;
    });
    const { app, registry, learningStore } = originServerParts(config, stores, {
      ingestKey,
      log,
      adminTargets: async (work) => work(await edgeTargets),
    });
    const server = await listenOrCloseStores(app, config, stores);
    const originUrl = new URL(server.url);
    console.log("edge: starting workerd");
    const edge = await startLocalEdge({
      rootDir,
      kvPersistDir: path.join(dataDir, "edge"),
      port: edgePort,
      vars: {
        ORIGIN_URL: originUrl.href,
        ORIGIN_INGEST_KEY: ingestKey,
      },
    });
    const learning = await startServeLearning(config, learningStore);
    takeOverSignals(async () => {
      await learning?.stop();
      await edge.dispose();
      await server.close();
      await stores.close();
    });

    edgeReady(await edge.publishTargets());
    const models = await edge.kv("MODELS");
    if ((await stores.eventStore.countEvents()) === 0) {
      console.log("first start: loading the sample shop through the ingestion API");
      const sample = generateTasteClusterData({ endMs: Date.now(), seed: 1, images: true });
      const { stored } = await postRecords(originUrl, ingestKey, sample.records, { progress: true });
      console.log(`stored ${stored} records`);
    }
    if (!(await localTrainedRelease(models))) {
      console.log("training and publishing every model");
      const progress = trainingProgress(await stores.eventStore.countEvents());
      // the sample shop's pictures are rendered in-process; any other image_url goes through the guard
      const { images, ...textEncoder } = contentOptions(config);
      const settings = trainingCycleSettings(config);
      const pipeline = {
        ...progress,
        ...textEncoder,
        ...(images
          ? { images: { ...images, fetch: sampleImageFetch((url) => fetchImage(url, images.policy)) } }
          : {}),
      };
      const result = await runTrainingCycle(
        {
          eventStore: stores.eventStore,
          registry,
          targets: fixedTargets(await edge.publishTargets()),
        },
        { trigger: "manual", publish: true, ...settings, pipeline: { ...settings.pipeline, ...pipeline } },
      );
      progress.stop();
      console.log(result.message);
      const report = result.release?.images;
      if (report) {
        console.log(
          `image features: ${report.described} of ${report.withImage} item images described ` +
            `(${report.distinctImages} distinct; ${report.failed} skipped)`,
        );
      }
      if (result.outcome !== "published") {
        throw new Error(`the first training run did not publish: ${result.message}`);
      }
    } else {
      console.log(`reusing the data and models in ${dataDir}`);
    }
    const edgeKey = await edgeApiKey(models, path.join(dataDir, "edge-api-key"));
    const [user] = await stores.eventStore.listUsers();
    const [item] = await stores.eventStore.listItems();
    printWelcome(edge.url, originUrl, edgeKey, user?.userId ?? "u-1", item?.itemId ?? "i-1", dataDir);
    return new Promise<number>(() => {});
  },
};

/** The option's port, else the variable's, else the default; a bad variable is a configuration error. */
function portOption(option: string, given: string | undefined, variable: string, fallback: number): number {
  const fromEnv = given === undefined ? process.env[variable] || undefined : undefined;
  const value = given ?? fromEnv ?? String(fallback);
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    const why = `must be a port number; got '${value}'`;
    throw fromEnv === undefined ? new UsageError(`${option} ${why}`) : new ConfigError(`${variable} ${why}`);
  }
  return port;
}

/** The local edge key, reissued when KV no longer holds it (a wiped edge directory). */
async function edgeApiKey(models: KVNamespaceLike, file: string): Promise<string> {
  const saved = await readFile(file, "utf8").then(
    (text) => text.trim(),
    () => "",
  );
  if (saved && (await models.get(kvKeys.apiKey(await hashApiKey(saved)), "text")) !== null) {
    return saved;
  }
  const key = await issueApiKey(models, "local");
  await writeFile(file, `${key}\n`, { mode: 0o600 });
  return key;
}

function printWelcome(
  edgeUrl: URL,
  originUrl: URL,
  key: string,
  userId: string,
  itemId: string,
  dataDir: string,
) {
  const edge = edgeUrl.href.replace(/\/$/, "");
  const auth = `-H 'Authorization: Bearer ${key}'`;
  console.log(`
edge:   ${edge}        (GET /health, /recommendations, /items/:id/similar, POST /analyze-sentiment, /predict, /events, /rank, /reward)
origin: ${originUrl.href.replace(/\/$/, "")}   (POST /v1/events/batch, GET /metrics, /docs, /openapi.json)
dashboard: ${originUrl.href.replace(/\/$/, "")}/dashboard   (admin key in ${path.join(dataDir, "admin-api-key")})
docs:   ${edge}/docs (edge API), ${originUrl.href.replace(/\/$/, "")}/docs (origin API)
state:  ${dataDir}   (API keys in edge-api-key, ingest-api-key and admin-api-key)

try:
  curl -s ${auth} '${edge}/recommendations?user_id=${encodeURIComponent(userId)}&k=5&explain=1'
  curl -s ${auth} -H 'content-type: application/json' -d '{"text":"I love it, excellent quality"}' ${edge}/analyze-sentiment
  curl -s ${auth} '${edge}/items/${encodeURIComponent(itemId)}/similar?k=5'

Ctrl-C stops everything.`);
}

import { parseArgs } from "node:util";
import { imageUrlRules, loadOriginConfig, valueRanges } from "../../config.ts";
import { openOriginStores } from "../../ingest/index.ts";
import { createLearningStore, startServeLearning } from "../../learn/index.ts";
import { createOriginApp, listen } from "../../server/index.ts";
import { type Command, UsageError } from "../command.ts";
// Loads the train and release flows only when retraining is configured.
import { startScheduledRetraining } from "../scheduled-retraining.ts";

const usage = `usage: edgewise serve [--port N] [--host ADDRESS]

Runs the origin's HTTP API (POST /v1/events/batch, GET /health, GET /openapi.json) on the stores the
environment selects (EVENT_STORE, DATABASE_URL, EDGEWISE_DATA_DIR, MONGODB_URL, …; see README.md),
applying migrations first unless MIGRATE_ON_START=false. INGEST_API_KEY must be set.
With RETRAIN_INTERVAL_SECONDS or RETRAIN_AFTER_EVENTS set, it also retrains, gates and publishes to
PUBLISH_TARGET (local: PUBLISH_LOCAL_DIR, default $EDGEWISE_DATA_DIR/edge; or cloudflare) on its own.
It also takes the edge's decision and reward logs (POST /v1/decisions/batch, /v1/rewards/batch) and,
every LEARN_INTERVAL_SECONDS (default 300, 0 = off), updates and publishes the bandit policies.

  --port N           overrides PORT (default 8080)
  --host ADDRESS     overrides HOST (default 127.0.0.1)`;

export const serveCommand: Command = {
  summary: "run the origin's ingestion API",
  usage,
  async run(args) {
    const { values } = parseArgs({ args, options: { port: { type: "string" }, host: { type: "string" } } });
    const config = loadOriginConfig({
      ...process.env,
      ...(values.port === undefined ? {} : { PORT: values.port }),
      ...(values.host === undefined ? {} : { HOST: values.host }),
    });
    if (config.INGEST_API_KEY === undefined) {
      throw new UsageError("set INGEST_API_KEY (16 characters or more): clients send it to ingest events");
    }
    const stores = await openOriginStores(config);
    if (config.MIGRATE_ON_START) {
      await stores.migrate();
    }
    const learningStore = createLearningStore(stores.database.sql);
    const app = createOriginApp({
      eventStore: stores.eventStore,
      rawStore: stores.rawStore,
      learningStore,
      ingest: {
        apiKey: config.INGEST_API_KEY,
        maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
        maxDecompressedBytes: config.INGEST_MAX_DECOMPRESSED_BYTES,
        maxEventsPerBatch: config.INGEST_MAX_EVENTS_PER_BATCH,
        valueRanges: valueRanges(config),
        imageUrls: imageUrlRules(config),
        bodyTimeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
      },
    });
    const server = await listen(app, {
      port: config.PORT,
      host: config.HOST,
      requestTimeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
    }).catch(async (error: unknown) => {
      // A port in use: close the database cleanly (and release a PGlite lock) before saying so.
      await stores.close();
      throw error;
    });
    const retraining = await startScheduledRetraining(config, stores);
    const learning = await startServeLearning(config, learningStore);
    console.log(
      `origin: ${server.url}  (event store: ${stores.eventStore.backend}, raw payloads: ${stores.rawStore.backend})`,
    );
    return new Promise<number>((resolve) => {
      const stop = async () => {
        await server.close();
        await retraining?.stop();
        await learning?.stop();
        await stores.close();
        resolve(0);
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
  },
};

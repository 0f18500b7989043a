import { parseArgs } from "node:util";
import { loadOriginConfig } from "../../config.ts";
import { openOriginStores } from "../../ingest/index.ts";
import { startServeLearning } from "../../learn/index.ts";
import { createLogger } from "../../log.ts";
import { targetsRunner } from "../../release/index.ts";
import { type Command, UsageError } from "../command.ts";
import { listenOrCloseStores, originServerParts } from "../origin-server.ts";
// Loads the train and release flows only when retraining is configured.
import { startScheduledRetraining } from "../scheduled-retraining.ts";

const usage = `usage: edgewise serve [--port N] [--host ADDRESS]

Runs the origin's HTTP API: POST /v1/events/batch, /v1/decisions/batch, /v1/rewards/batch, GET /health,
/metrics (Prometheus), /openapi.json and /docs, and with ADMIN_API_KEY the admin API and /dashboard. The
stores are the ones the environment selects (EVENT_STORE, DATABASE_URL, EDGEWISE_DATA_DIR, MONGODB_URL, …);
migrations are applied first unless MIGRATE_ON_START=false. INGEST_API_KEY must be set. One JSON log
line per request on stdout (LOG_LEVEL).
With RETRAIN_INTERVAL_SECONDS or RETRAIN_AFTER_EVENTS set, it also retrains, gates and publishes to
PUBLISH_TARGET (local: PUBLISH_LOCAL_DIR, default $EDGEWISE_DATA_DIR/edge; or cloudflare) on its own,
one run at a time across instances. Every LEARN_INTERVAL_SECONDS (default 300, 0 = off) it updates and
publishes the bandit policies from the edge's decision and reward logs.

Every variable: README.md, sections "Origin: ingestion and storage" (Configuration) and "Operating the
origin"; origin/config.ts documents each one with its default.

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
    const log = createLogger({ level: config.LOG_LEVEL });
    const stores = await openOriginStores(config);
    if (config.MIGRATE_ON_START) {
      await stores.migrate();
    }
    const { app, learningStore } = originServerParts(config, stores, {
      ingestKey: config.INGEST_API_KEY,
      log,
      // The dashboard's releases and rollbacks: the edge KV scheduled runs publish to.
      ...(config.ADMIN_API_KEY === undefined
        ? {}
        : {
            adminTargets: targetsRunner(
              config.PUBLISH_TARGET === "cloudflare"
                ? { kind: "cloudflare" }
                : { kind: "local", dir: config.PUBLISH_LOCAL_DIR },
            ),
          }),
    });
    const server = await listenOrCloseStores(app, config, stores);
    const retraining = await startScheduledRetraining(config, stores, (line) =>
      log.info({ component: "retrain" }, line),
    );
    const learning = await startServeLearning(config, learningStore, (line) =>
      log.info({ component: "learn" }, line),
    );
    log.info(
      { url: server.url, event_store: stores.eventStore.backend, raw_store: stores.rawStore.backend },
      `origin: ${server.url}`,
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

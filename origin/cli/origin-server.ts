/**
 * The origin's HTTP app as `edgewise serve` and `edgewise start` run it, from the configuration and the
 * opened stores: ingestion limits, the learning loop's routes, the request log, and /metrics with the
 * serving models' headline metrics read from the registry.
 */
import { imageUrlRules, type OriginConfig, valueRanges } from "../config.ts";
import type { OriginStores } from "../ingest/index.ts";
import { createLearningStore, type LearningStore } from "../learn/index.ts";
import type { Logger } from "../log.ts";
import { setServingModelsSource } from "../metrics.ts";
import {
  createModelRegistry,
  headlineMetric,
  type ModelRegistry,
  type TargetsRunner,
} from "../release/index.ts";
import { createOriginApp, listen, type RunningServer, startRequestSampler } from "../server/index.ts";

export interface OriginServerParts {
  app: ReturnType<typeof createOriginApp>;
  registry: ModelRegistry;
  learningStore: LearningStore;
}

export function originServerParts(
  config: OriginConfig,
  stores: OriginStores,
  options: {
    ingestKey: string;
    log: Logger;
    /** The edge KV the dashboard lists and rolls back releases in; needed with ADMIN_API_KEY. */
    adminTargets?: TargetsRunner;
  },
): OriginServerParts {
  const learningStore = createLearningStore(stores.database.sql);
  const registry = createModelRegistry(stores.database.db);
  setServingModelsSource(async () =>
    (await registry.servingAll()).flatMap((row) => {
      const metric = headlineMetric(row.kind);
      const value = row.metrics[metric];
      return value === undefined ? [] : [{ model: row.name, version: row.version, metric, value }];
    }),
  );
  const app = createOriginApp({
    eventStore: stores.eventStore,
    rawStore: stores.rawStore,
    learningStore,
    log: options.log,
    ...(config.METRICS_API_KEY === undefined ? {} : { metricsKey: config.METRICS_API_KEY }),
    ...(config.ADMIN_API_KEY === undefined || options.adminTargets === undefined
      ? {}
      : {
          admin: {
            key: config.ADMIN_API_KEY,
            deps: {
              eventStore: stores.eventStore,
              registry,
              learningStore,
              targets: options.adminTargets,
              requests: startRequestSampler(),
              locks: stores.database.sql.locks,
            },
          },
        }),
    ingest: {
      apiKey: options.ingestKey,
      maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
      maxDecompressedBytes: config.INGEST_MAX_DECOMPRESSED_BYTES,
      maxEventsPerBatch: config.INGEST_MAX_EVENTS_PER_BATCH,
      valueRanges: valueRanges(config),
      imageUrls: imageUrlRules(config),
      bodyTimeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
    },
  });
  return { app, registry, learningStore };
}

/**
 * Serves the app where the configuration says. When it cannot (a port in use), it closes the stores
 * cleanly (releasing a PGlite lock) before the error goes on to be reported.
 */
export async function listenOrCloseStores(
  app: OriginServerParts["app"],
  config: OriginConfig,
  stores: OriginStores,
): Promise<RunningServer> {
  return listen(app, {
    port: config.PORT,
    host: config.HOST,
    requestTimeoutMs: config.REQUEST_TIMEOUT_SECONDS * 1000,
  }).catch(async (error: unknown) => {
    await stores.close();
    throw error;
  });
}

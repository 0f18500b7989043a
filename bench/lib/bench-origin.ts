/**
 * The origin of a benchmark's local stack, as `edgewise start` lays it out: the PGlite event store and
 * the local publish target under `dataDir`, the ingestion API behind a fresh key, on a free port of
 * 127.0.0.1 (loopback only).
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { loadOriginConfig, type OriginConfig } from "../../origin/config.ts";
import { randomKey } from "../../origin/dev/local-stack/stack-keys.ts";
import { type OriginStores, openOriginStores } from "../../origin/ingest/open-stores.ts";
import { createLearningStore } from "../../origin/learn/learning-store.ts";
import { createOriginApp, listen } from "../../origin/server/index.ts";

export interface BenchOrigin {
  config: OriginConfig;
  stores: OriginStores;
  ingestKey: string;
  url: URL;
  /** Stops the server, then closes the stores. */
  close(): Promise<void>;
}

/** `env` is the configuration's environment; the settings above override it. */
export async function startBenchOrigin(dataDir: string, env: NodeJS.ProcessEnv): Promise<BenchOrigin> {
  await mkdir(path.join(dataDir, "edge"), { recursive: true });
  const ingestKey = randomKey("ingest_");
  const config = loadOriginConfig({
    ...env,
    PORT: "0",
    HOST: "127.0.0.1",
    PGLITE_DIR: path.join(dataDir, "pglite"),
    INGEST_API_KEY: ingestKey,
    PUBLISH_TARGET: "local",
    PUBLISH_LOCAL_DIR: path.join(dataDir, "edge"),
  });
  const stores = await openOriginStores(config);
  await stores.migrate();
  const server = await listen(
    createOriginApp({
      eventStore: stores.eventStore,
      rawStore: stores.rawStore,
      learningStore: createLearningStore(stores.database.sql),
      ingest: {
        apiKey: ingestKey,
        maxBodyBytes: config.INGEST_MAX_BODY_BYTES,
        maxDecompressedBytes: config.INGEST_MAX_DECOMPRESSED_BYTES,
        maxEventsPerBatch: config.INGEST_MAX_EVENTS_PER_BATCH,
      },
    }),
    { port: config.PORT, host: "127.0.0.1" },
  ).catch(async (error: unknown) => {
    await stores.close();
    throw error;
  });
  return {
    config,
    stores,
    ingestKey,
    url: new URL(server.url),
    async close() {
      await server.close();
      await stores.close();
    },
  };
}

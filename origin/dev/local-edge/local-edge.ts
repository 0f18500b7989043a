/**
 * Runs the built edge Worker in a real workerd through Miniflare, with the bindings declared in
 * wrangler.toml and local KV. The tests, the edge benchmark and `npm start` all use this one path.
 *
 * The Worker is built by `wrangler deploy --dry-run --outdir dist/worker` (npm run build:worker)
 * and its modules are listed explicitly: Miniflare's own module collection trips over an unused
 * dynamic import in onnxruntime-web's bundle.
 */
import { readdir } from "node:fs/promises";
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import { createMiniflareKvWriter, type KVNamespaceLike, type PublishTargets } from "../../release/index.ts";

export interface LocalEdgeOptions {
  /** Project root holding wrangler.toml and dist/worker. */
  rootDir: string;
  /** Directory for persisted KV; in-memory when omitted. */
  kvPersistDir?: string;
  /** Port for the HTTP listener; 0 picks a free one. */
  port?: number;
  /** Overrides of wrangler.toml [vars]. */
  vars?: Record<string, string>;
  /**
   * A queue this Worker both produces to (as `producerBinding`) and consumes, as wrangler.toml's
   * commented-out [[queues.*]] blocks would declare it; none when omitted.
   */
  queue?: LocalQueueOptions;
}

export interface LocalQueueOptions {
  producerBinding: string;
  queueName: string;
  maxBatchSize?: number;
  maxBatchTimeoutSeconds?: number;
  maxRetries?: number;
}

export interface LocalEdge {
  url: URL;
  miniflare: Miniflare;
  kv(binding: "MODELS" | "FEATURES"): Promise<KVNamespaceLike>;
  /** Publish targets over this edge's own KV, for publishRelease and the training cycle. */
  publishTargets(): Promise<PublishTargets>;
  dispose(): Promise<void>;
}

export async function startLocalEdge(options: LocalEdgeOptions): Promise<LocalEdge> {
  const bundleDir = path.join(options.rootDir, "dist", "worker");
  const files = await readdir(bundleDir).catch(() => {
    throw new Error(`no Worker bundle in ${bundleDir}: run \`npm run build\` first`);
  });
  const modules = [
    { type: "ESModule" as const, path: path.join(bundleDir, "index.js") },
    ...files
      .filter((file) => file.endsWith(".wasm"))
      .map((file) => ({ type: "CompiledWasm" as const, path: path.join(bundleDir, file) })),
    // Text modules (the docs page's Scalar bundle), as wrangler's default rule bundles every .txt.
    ...files
      .filter((file) => file.endsWith(".txt"))
      .map((file) => ({ type: "Text" as const, path: path.join(bundleDir, file) })),
  ];
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(options.rootDir, "wrangler.toml"));
  // Wrangler describes bindings in Miniflare's v4 option shape; Miniflare 5 converts it.
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      workers: [
        {
          ...workerOptions,
          name: "edgewise-edge",
          modules,
          modulesRoot: bundleDir,
          bindings: { ...(workerOptions.bindings ?? {}), ...(options.vars ?? {}) },
          ...(options.queue ? queueOptions(options.queue) : {}),
        },
      ],
      ...(options.kvPersistDir ? { resourcePersistencePath: options.kvPersistDir } : {}),
      host: "127.0.0.1",
      port: options.port ?? 0,
    }),
  );
  const url = await miniflare.ready;
  const kv = (binding: "MODELS" | "FEATURES") =>
    miniflare.getKVNamespace(binding) as Promise<KVNamespaceLike>;
  return {
    url,
    miniflare,
    kv,
    publishTargets: async () => ({
      models: createMiniflareKvWriter(await kv("MODELS")),
      features: createMiniflareKvWriter(await kv("FEATURES")),
    }),
    dispose: () => miniflare.dispose(),
  };
}

function queueOptions(queue: LocalQueueOptions) {
  return {
    queueProducers: { [queue.producerBinding]: { queueName: queue.queueName } },
    queueConsumers: {
      [queue.queueName]: {
        ...(queue.maxBatchSize === undefined ? {} : { maxBatchSize: queue.maxBatchSize }),
        ...(queue.maxBatchTimeoutSeconds === undefined
          ? {}
          : { maxBatchTimeout: queue.maxBatchTimeoutSeconds }),
        ...(queue.maxRetries === undefined ? {} : { maxRetries: queue.maxRetries }),
      },
    },
  };
}

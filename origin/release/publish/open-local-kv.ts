/**
 * The local edge's persisted KV without its Worker: a Miniflare with a stub script and the KV bindings of
 * wrangler.toml, persisted to the same directory `edgewise start` uses, so `edgewise publish --local` works
 * whether or not the edge is running (both processes share the SQLite-backed store; verified with a
 * running edge reading what this writes). Needs no built Worker, and starts in well under a second.
 */
import path from "node:path";
import { convertV4MiniflareOptions, Miniflare } from "miniflare";
import { unstable_getMiniflareWorkerOptions } from "wrangler";
import type { KVNamespaceLike } from "./miniflare-kv-writer.ts";

export interface LocalKv {
  models: KVNamespaceLike;
  features: KVNamespaceLike;
  dispose(): Promise<void>;
}

export async function openLocalKv(options: { rootDir: string; persistDir: string }): Promise<LocalKv> {
  const { workerOptions } = unstable_getMiniflareWorkerOptions(path.join(options.rootDir, "wrangler.toml"));
  const miniflare = new Miniflare(
    convertV4MiniflareOptions({
      workers: [
        {
          name: "edgewise-local-kv",
          modules: true,
          script: "export default { fetch() { return new Response(null, { status: 404 }); } };",
          kvNamespaces: namespaceIds(workerOptions.kvNamespaces),
        },
      ],
      resourcePersistencePath: path.resolve(options.persistDir),
    }),
  );
  await miniflare.ready;
  return {
    models: (await miniflare.getKVNamespace("MODELS")) as KVNamespaceLike,
    features: (await miniflare.getKVNamespace("FEATURES")) as KVNamespaceLike,
    dispose: () => miniflare.dispose(),
  };
}

/** Binding → namespace id from wrangler's KV options (`{ MODELS: { id } }`). */
function namespaceIds(declared: unknown): Record<string, string> {
  const ids: Record<string, string> = {};
  if (declared !== null && typeof declared === "object" && !Array.isArray(declared)) {
    for (const [binding, entry] of Object.entries(declared)) {
      const id = typeof entry === "string" ? entry : (entry as { id?: unknown } | null)?.id;
      if (typeof id === "string") {
        ids[binding] = id;
      }
    }
  }
  return ids;
}

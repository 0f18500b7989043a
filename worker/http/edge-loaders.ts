/**
 * The isolate's caches and this request's bindings as the plain loaders the recommend flow and the model
 * runtime take: the one place where a Hono context becomes KV reads, so the code behind it stays free of
 * Hono and runs unchanged in Node tests.
 */
import type { Context } from "hono";
import type { Manifest } from "../../models/contracts/index.ts";
import type { ReleaseLoaders } from "../recommend/index.ts";
import type { ModelSource } from "../runtime/model-session.ts";
import { timed } from "../runtime/span-timer.ts";
import { vectorizeCandidates } from "../runtime/vectorize-candidates.ts";
import type { LoadedCatalog } from "../store/catalog-cache.ts";
import { readChunkedBytes } from "../store/chunked-bytes.ts";
import type { EdgeContext } from "./edge-context.ts";
import { spanTimer } from "./span-timer.ts";

/** The current manifest, within the settings' TTL. */
export function currentManifest(c: Context<EdgeContext>): Promise<Manifest | null> {
  const { state } = c.var;
  return state.manifests.current(c.env.MODELS, state.settings.MANIFEST_TTL_SECONDS);
}

/** The manifest's catalogue, timed as "catalog"; null when it has none or it cannot be read. */
export function catalogOf(c: Context<EdgeContext>, manifest: Manifest | null): Promise<LoadedCatalog | null> {
  return timed(spanTimer(c), "catalog", () => c.var.state.catalogs.of(c.env.MODELS, manifest));
}

/** What a recommendation reads of a release: manifests, catalogues and users, from KV through the caches. */
export function releaseLoaders(c: Context<EdgeContext>): ReleaseLoaders {
  const { state } = c.var;
  const timer = spanTimer(c);
  return {
    currentManifest: () => currentManifest(c),
    recheckManifest: (sighting, intervalMs) => state.manifests.recheck(c.env.MODELS, sighting, intervalMs),
    previousManifest: (manifest) => state.manifests.previousOf(c.env.MODELS, manifest),
    catalog: async (manifest) => {
      const loaded = await catalogOf(c, manifest);
      const vectorize = c.env.VECTORIZE;
      // With a Vectorize index bound, personal candidates come from it; cold start stays in the kernel.
      return loaded && vectorize
        ? { ...loaded, candidates: vectorizeCandidates(vectorize, loaded.catalog, loaded.candidates) }
        : loaded;
    },
    user: (userId, release) =>
      timed(timer, "features", () => state.features.user(c.env.FEATURES, userId, release)),
  };
}

/** The isolate's ORT sessions, with model bytes read from the MODELS namespace. */
export function modelSource(c: Context<EdgeContext>): ModelSource {
  return {
    sessions: c.var.state.sessions,
    bytesOf: (entry) => readChunkedBytes(c.env.MODELS, `model ${entry.name}@${entry.version}`, entry),
  };
}

import { PolicyCache } from "../learning/policy-cache.ts";
import { SessionCache } from "../runtime/index.ts";
import { CatalogCache, catalogArtifact } from "../store/catalog-cache.ts";
import { FeatureStore } from "../store/feature-store.ts";
import { ManifestCache } from "../store/manifest-cache.ts";
import type { Settings } from "./settings.ts";

/**
 * What one isolate keeps between requests, built on its first request (the settings come from
 * the env, which only requests see). ORT itself initializes on the first session, not here. Every
 * cache here shares settled values only, never a promise of another request's I/O.
 */
export interface EdgeState {
  settings: Settings;
  sessions: SessionCache;
  manifests: ManifestCache;
  features: FeatureStore;
  catalogs: CatalogCache;
  /** The published bandit policies of POST /rank. */
  policies: PolicyCache;
}

export function createEdgeState(settings: Settings): EdgeState {
  const catalogs = new CatalogCache();
  return {
    settings,
    sessions: new SessionCache(),
    // A new manifest serves only once its catalogue is loaded: until then, and when its catalogue cannot
    // be read, requests keep pinning the previous release whole.
    manifests: new ManifestCache({
      adopt: async (kv, manifest) => {
        const entry = manifest.artifacts?.[catalogArtifact];
        if (entry) {
          await catalogs.get(kv, entry);
        }
      },
    }),
    catalogs,
    policies: new PolicyCache(),
    features: new FeatureStore({
      ttlSeconds: settings.FEATURE_TTL_SECONDS,
      maxUsers: settings.FEATURE_CACHE_MAX_USERS,
    }),
  };
}

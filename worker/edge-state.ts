import { PolicyCache } from "./learning/policy-cache.ts";
import { SessionCache } from "./runtime/index.ts";
import type { Settings } from "./settings.ts";
import { CatalogCache } from "./store/catalog-cache.ts";
import { FeatureStore } from "./store/feature-store.ts";
import { ManifestCache } from "./store/manifest-cache.ts";

/**
 * What one isolate keeps between requests, built on its first request (the settings come from
 * the env, which only requests see). ORT itself initializes on the first session, not here.
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
  return {
    settings,
    sessions: new SessionCache(),
    manifests: new ManifestCache(),
    catalogs: new CatalogCache(),
    policies: new PolicyCache(),
    features: new FeatureStore({
      ttlSeconds: settings.FEATURE_TTL_SECONDS,
      maxUsers: settings.FEATURE_CACHE_MAX_USERS,
    }),
  };
}

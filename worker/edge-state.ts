import { SessionCache } from "./runtime/index.ts";
import { ManifestCache } from "./store/manifest-cache.ts";

/**
 * What one isolate keeps between requests. Constructing it allocates two empty maps; ORT itself
 * initializes on the first session, not here.
 */
export interface EdgeState {
  sessions: SessionCache;
  manifests: ManifestCache;
}

export function createEdgeState(): EdgeState {
  return { sessions: new SessionCache(), manifests: new ManifestCache() };
}

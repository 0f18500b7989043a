import type { Context } from "hono";
import { endTime, startTime } from "hono/timing";
import type { Manifest, SurfaceConfig } from "../../models/contracts/index.ts";
import { DEFAULT_SURFACES, Surfaces } from "../../models/contracts/index.ts";
import type { EdgeContext } from "../http/edge-context.ts";
import { catalogArtifact, type LoadedCatalog } from "../store/catalog-cache.ts";

/** The surfaces the manifest publishes, or the defaults when it publishes none or invalid ones. */
export function publishedSurfaces(manifest: Manifest | null): Surfaces {
  if (!manifest?.surfaces) {
    return DEFAULT_SURFACES;
  }
  const parsed = Surfaces.safeParse(manifest.surfaces);
  if (!parsed.success) {
    console.error(`manifest ${manifest.version} has invalid surfaces; serving the defaults`);
    return DEFAULT_SURFACES;
  }
  return parsed.data;
}

export function findSurface(surfaces: Surfaces, name: string): SurfaceConfig | null {
  return Object.hasOwn(surfaces, name) ? surfaces[name]! : null;
}

/**
 * The current manifest's catalogue, or null (with the reason logged) when there is none or it
 * cannot be read: the decision engine then answers empty and degraded instead of failing.
 */
export async function loadCatalog(
  c: Context<EdgeContext>,
  manifest: Manifest | null,
): Promise<LoadedCatalog | null> {
  const entry = manifest?.artifacts?.[catalogArtifact];
  if (!entry) {
    return null;
  }
  startTime(c, "catalog");
  try {
    return await c.var.state.catalogs.get(c.env.MODELS, entry);
  } catch (error) {
    console.error(`catalog ${entry.version} unavailable: ${error instanceof Error ? error.message : error}`);
    return null;
  } finally {
    endTime(c, "catalog");
  }
}

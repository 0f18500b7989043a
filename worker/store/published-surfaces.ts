import type { Manifest, SurfaceConfig } from "../../models/contracts/index.ts";
import { DEFAULT_SURFACES, Surfaces } from "../../models/contracts/index.ts";

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

/** A published surface by name; an inherited property name (`__proto__`, `toString`) is no surface. */
export function findSurface(surfaces: Surfaces, name: string): SurfaceConfig | null {
  return Object.hasOwn(surfaces, name) ? surfaces[name]! : null;
}

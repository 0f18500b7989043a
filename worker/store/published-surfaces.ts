import type { Manifest, SurfaceConfig } from "../../models/contracts/index.ts";
import { DEFAULT_SURFACES, Surfaces } from "../../models/contracts/index.ts";

/**
 * Each manifest's surfaces, parsed once: the isolate keeps one manifest object per release, and parsing
 * them on every request took 3 % of a /recommendations request's CPU in workerd.
 */
const parsedSurfaces = new WeakMap<Manifest, Surfaces>();

/** The surfaces the manifest publishes, or the defaults when it publishes none or invalid ones. */
export function publishedSurfaces(manifest: Manifest | null): Surfaces {
  if (!manifest?.surfaces) {
    return DEFAULT_SURFACES;
  }
  let surfaces = parsedSurfaces.get(manifest);
  if (surfaces === undefined) {
    const parsed = Surfaces.safeParse(manifest.surfaces);
    if (!parsed.success) {
      console.error(`manifest ${manifest.version} has invalid surfaces; serving the defaults`);
    }
    surfaces = parsed.success ? parsed.data : DEFAULT_SURFACES;
    parsedSurfaces.set(manifest, surfaces);
  }
  return surfaces;
}

/** A published surface by name; an inherited property name (`__proto__`, `toString`) is no surface. */
export function findSurface(surfaces: Surfaces, name: string): SurfaceConfig | null {
  return Object.hasOwn(surfaces, name) ? surfaces[name]! : null;
}

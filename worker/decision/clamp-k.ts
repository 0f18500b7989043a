import type { SurfaceConfig } from "../../models/contracts/index.ts";

/**
 * How many items an answer holds: the requested k clamped to [1, k.max] of the surface, or the surface's
 * default when absent or not a number. The one definition: the engine and the recommend flow (which sizes
 * an exploration pool around what is shown) both call it.
 */
export function clampK(surface: SurfaceConfig, requested: number | undefined): number {
  const wanted =
    requested === undefined || !Number.isFinite(requested) ? surface.k.default : Math.floor(requested);
  return Math.min(surface.k.max, Math.max(1, wanted));
}

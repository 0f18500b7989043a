/**
 * Which bandit configuration a policy learns with: the one the serving manifest gives its surface (or the
 * experiment arm it names), so a configuration change ships with the manifest, as the edge reads it too.
 * A policy whose surface or arm is no longer published keeps learning with the configuration it was last
 * learned with, so decisions logged before the change are not wasted.
 */
import { BanditConfig, banditPolicyId } from "../../models/bandit/index.ts";
import { DEFAULT_SURFACES, type Manifest, Surfaces } from "../../models/contracts/index.ts";
import type { PolicyStateRow } from "./learning-store.ts";

const defaultConfig = BanditConfig.parse({});

/** The manifest's surfaces, or the defaults the edge serves when it publishes none (or invalid ones). */
export function servingSurfaces(manifest: Manifest | null): Surfaces {
  const parsed = Surfaces.safeParse(manifest?.surfaces);
  return manifest?.surfaces !== undefined && parsed.success ? parsed.data : DEFAULT_SURFACES;
}

export function policyConfig(
  surfaces: Surfaces,
  surfaceName: string,
  policyId: string,
  previous: PolicyStateRow | null,
): BanditConfig {
  const surface = Object.hasOwn(surfaces, surfaceName) ? surfaces[surfaceName] : undefined;
  if (surface !== undefined) {
    if (policyId === banditPolicyId(surface.name, null)) {
      return surface.bandit ?? defaultConfig;
    }
    const arm = surface.experiment?.arms.find((a) => banditPolicyId(surface.name, a.id) === policyId);
    if (arm !== undefined) {
      return arm.bandit ?? surface.bandit ?? defaultConfig;
    }
  }
  const stored = previous === null ? null : BanditConfig.safeParse(previous.config);
  return stored?.success ? stored.data : defaultConfig;
}

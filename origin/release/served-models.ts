import type { Manifest } from "../../models/contracts/index.ts";
import type { ModelRef } from "./registry/index.ts";
import { CATALOG_ARTIFACT, PIPELINE_MODELS } from "./trained-release.ts";

/**
 * The registry entries a manifest puts into service: each model by its name and version, and the
 * recommender as the catalogue artifact (its MF table is the recommendation model the edge scores with).
 */
export function servedModels(manifest: Manifest): ModelRef[] {
  const refs = Object.values(manifest.models).map((entry) => ({ name: entry.name, version: entry.version }));
  const catalog = manifest.artifacts?.[CATALOG_ARTIFACT];
  if (catalog) {
    refs.push({ name: PIPELINE_MODELS.recs, version: catalog.version });
  }
  return refs;
}

/** Refs in `a` that `b` does not hold. */
export function modelsNotIn(a: readonly ModelRef[], b: readonly ModelRef[]): ModelRef[] {
  const kept = new Set(b.map((ref) => `${ref.name}\u0000${ref.version}`));
  return a.filter((ref) => !kept.has(`${ref.name}\u0000${ref.version}`));
}

/**
 * What the local edge's KV serves when `edgewise start` comes up: a trained release (one with a
 * catalogue), or not (nothing, or only the demo models). An unreadable `manifest/current` (not JSON, not a
 * manifest) is explained in one line and rewritten at once from the newest readable `manifest/<n>`, by a
 * publish that carries that release over whole, so the stack goes on serving what it served before; with
 * no readable release kept, the first training run writes a new one.
 */

import type { KVNamespaceLike } from "../../release/index.ts";
import { createMiniflareKvWriter, publishArtifacts, readServingManifest } from "../../release/index.ts";

export async function localTrainedRelease(
  models: KVNamespaceLike,
  log: (line: string) => void = (line) => console.log(line),
): Promise<boolean> {
  const writer = createMiniflareKvWriter(models);
  const serving = await readServingManifest(writer);
  if (serving.repair === undefined) {
    return serving.manifest?.artifacts?.catalog !== undefined;
  }
  if (serving.manifest === null) {
    log(`edge: ${serving.repair.message}; training and publishing below`);
    return false;
  }
  const { manifest } = await publishArtifacts({ models: writer }, [], { serving });
  log(`edge: ${serving.repair.message}, as manifest ${manifest.version}`);
  return manifest.artifacts?.catalog !== undefined;
}

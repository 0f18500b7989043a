/**
 * The folder of Edgewise's package.json: the clone, or the installed package. Files the origin reads
 * at run time (migrations/, the built Worker in dist/worker, wrangler.toml) are found from here, the
 * same from the TypeScript sources and from their compiled copy in dist/node, which sits two folders
 * deeper.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";

function findPackageRoot(from: string): string {
  for (let dir = from; ; dir = path.dirname(dir)) {
    const manifest = path.join(dir, "package.json");
    if (
      existsSync(manifest) &&
      (JSON.parse(readFileSync(manifest, "utf8")) as { name?: string }).name === "edgewise"
    ) {
      return dir;
    }
    if (path.dirname(dir) === dir) {
      throw new Error(`no package.json of edgewise above ${from}`);
    }
  }
}

export const PACKAGE_ROOT = findPackageRoot(import.meta.dirname);

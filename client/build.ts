/**
 * Builds the package: dist/index.js (the client, one ESM module for browsers, Node and Workers),
 * dist/edgewise-snippet.js (the site snippet, minified) and the declarations under dist/types. Prints the
 * snippet's gzipped size, which must stay under 10 KB. Run with `npm run build:client` from the root.
 */
import { execFileSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";
import { clientBuildOptions, snippetBuildOptions } from "./esbuild-options.ts";

const here = import.meta.dirname;
const dist = path.join(here, "dist");
const snippetLimitBytes = 10 * 1000;

rmSync(dist, { recursive: true, force: true });
await build({ ...clientBuildOptions, outfile: path.join(dist, "index.js") });
await build({ ...snippetBuildOptions, outfile: path.join(dist, "edgewise-snippet.js") });
const tsc = path.join(here, "..", "node_modules", "typescript", "bin", "tsc");
execFileSync(process.execPath, [tsc, "-p", path.join(here, "tsconfig.build.json")], { stdio: "inherit" });

const snippet = readFileSync(path.join(dist, "edgewise-snippet.js"));
const gzipped = gzipSync(snippet, { level: 9 }).length;
console.log(
  `edgewise-snippet.js: ${snippet.length} bytes, ${gzipped} bytes gzipped (limit ${snippetLimitBytes})`,
);
if (gzipped > snippetLimitBytes) {
  throw new Error(`the snippet is ${gzipped} bytes gzipped, over the ${snippetLimitBytes}-byte limit`);
}

/** How the client and the snippet are bundled, shared by build.ts and the tests that serve the snippet. */
import path from "node:path";
import type { BuildOptions } from "esbuild";

const here = import.meta.dirname;

const common = { bundle: true, format: "esm", target: "es2022", logLevel: "warning" } as const;

/** The client as one ESM module; platform "neutral" resolves no Node built-in, so a node: import fails. */
export const clientBuildOptions: BuildOptions = {
  ...common,
  platform: "neutral",
  entryPoints: [path.join(here, "src/index.ts")],
};

/** The site snippet, minified for a page. */
export const snippetBuildOptions: BuildOptions = {
  ...common,
  platform: "browser",
  minify: true,
  entryPoints: [path.join(here, "snippet/edgewise-snippet.ts")],
};

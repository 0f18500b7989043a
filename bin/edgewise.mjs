#!/usr/bin/env node
// The `edgewise` command. An installed package (npm pack, npm install, npx) runs the compiled JavaScript
// in dist/node (`npm run build:cli`; npm pack builds it first). In a clone, where the TypeScript sources
// sit beside this file, it runs them through tsx instead, so an edit is live without a build.
import { existsSync } from "node:fs";

const sources = new URL("../origin/cli/main.ts", import.meta.url);
let main;
if (existsSync(sources)) {
  const { register } = await import("tsx/esm/api");
  register();
  ({ main } = await import(sources.href));
} else {
  ({ main } = await import("../dist/node/origin/cli/main.js"));
}
process.exitCode = await main(process.argv.slice(2));

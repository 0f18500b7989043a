/**
 * The two builds tests depend on, with what each reads and writes, and how the tests rebuild them:
 * through the same npm scripts `npm run build` runs.
 */
import { spawnSync } from "node:child_process";
import path from "node:path";
import type { BuildTarget } from "./freshness.ts";

/** The same root as local-edge.ts, without importing Miniflare and wrangler into the global setup. */
export const projectRoot = path.resolve(import.meta.dirname, "..", "..");

/** The AssemblyScript kernels in wasm/build: the kernel tests and the Worker bundle use them. */
export const WASM_KERNELS = {
  label: "wasm/build (the AssemblyScript kernels)",
  inputs: ["wasm/assembly", "wasm/build.ts", "package-lock.json"],
  outputs: ["wasm/build"],
  stampFile: "dist/.build-stamps/wasm-kernels.json",
} as const satisfies BuildTarget;

/**
 * The Worker bundle in dist/worker that every workerd test runs. Its inputs are every source the
 * Worker imports (worker/, models/, wasm/ with the built kernels), the wrangler and TypeScript
 * configuration, and the lock file for the libraries it bundles (hono, zod, onnxruntime-web).
 */
export const WORKER_BUNDLE = {
  label: "dist/worker (the Worker bundle)",
  inputs: [
    "worker",
    "models",
    "wasm",
    "dist/edge-assets",
    "wrangler.toml",
    "tsconfig.json",
    "package-lock.json",
  ],
  outputs: ["dist/worker"],
  stampFile: "dist/.build-stamps/worker.json",
} as const satisfies BuildTarget;

/** Scalar's standalone bundle for the edge's GET /docs, as a text module the Worker imports. */
export const EDGE_DOCS_BUNDLE = {
  label: "dist/edge-assets (Scalar's bundle for the edge's /docs)",
  inputs: ["package-lock.json"],
  outputs: ["dist/edge-assets"],
  stampFile: "dist/.build-stamps/edge-assets.json",
} as const satisfies BuildTarget;

/** The `edgewise` command compiled to JavaScript (npm pack ships it; bin/edgewise.mjs runs it when installed). */
export const CLI_JS = {
  label: "dist/node (the edgewise command as JavaScript)",
  inputs: ["origin", "models", "tsconfig.build.json", "tsconfig.base.json", "package-lock.json"],
  outputs: ["dist/node"],
  stampFile: "dist/.build-stamps/cli.json",
} as const satisfies BuildTarget;

/** Runs `npm run <script>` in the project root, its output kept for the error message only. */
export function runNpmScript(script: string): { ok: true } | { ok: false; error: string } {
  // Under `npm run`/`npm test` npm says where it is; a bare `npx vitest` finds npm on PATH.
  const npmCli = process.env.npm_execpath;
  const [command, args] = npmCli ? [process.execPath, [npmCli, "run", script]] : ["npm", ["run", script]];
  const result = spawnSync(command, args, { cwd: projectRoot, encoding: "utf8" });
  if (result.error) {
    return { ok: false, error: `could not run \`npm run ${script}\`: ${result.error.message}` };
  }
  if (result.status !== 0) {
    const output = `${result.stdout}${result.stderr}`.trim().split("\n").slice(-30).join("\n");
    return { ok: false, error: `\`npm run ${script}\` exited with ${result.status}:\n${output}` };
  }
  return { ok: true };
}

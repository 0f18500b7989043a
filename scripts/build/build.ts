/**
 * `npm run build[:wasm|:worker|:cli]`: each build only when its sources changed since it was last built
 * (the content-hash stamps in dist/.build-stamps that the test setups also keep), so `npm start` and
 * `wrangler deploy` start at once when nothing changed. `--force` rebuilds regardless.
 *
 *   wasm    the AssemblyScript kernels (wasm/build), which the Worker imports
 *   docs    Scalar's API reference bundle, copied to dist/edge-assets as a text module for GET /docs
 *           (wasm and docs are wrangler.toml's [build], run before every bundle, so a fresh clone
 *           deploys after `npm ci`)
 *   worker  the Worker bundle in dist/worker (wrangler deploy --dry-run), after wasm
 *   cli     the `edgewise` command as JavaScript in dist/node (tsc -p tsconfig.build.json)
 *
 * With no name: wasm, docs, then worker.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { type BuildTarget, ensureFresh } from "./freshness.ts";
import { CLI_JS, EDGE_DOCS_BUNDLE, projectRoot, WASM_KERNELS, WORKER_BUNDLE } from "./targets.ts";

function run(command: string, args: readonly string[]): { ok: true } | { ok: false; error: string } {
  const result = spawnSync(command, args, { cwd: projectRoot, stdio: "inherit" });
  return result.status === 0
    ? { ok: true }
    : { ok: false, error: `${command} ${args.join(" ")} exited with ${result.status ?? result.signal}` };
}

const bin = (name: string) => path.join(projectRoot, "node_modules", ".bin", name);

const builds: Record<
  string,
  { target: BuildTarget; build: () => { ok: true } | { ok: false; error: string } }
> = {
  wasm: { target: WASM_KERNELS, build: () => run(process.execPath, ["wasm/build.ts"]) },
  docs: {
    target: EDGE_DOCS_BUNDLE,
    build: () => {
      // The package's exports do not list its standalone bundle: it is taken by its path.
      const out = path.join(projectRoot, "dist/edge-assets");
      mkdirSync(out, { recursive: true });
      copyFileSync(
        path.join(projectRoot, "node_modules/@scalar/api-reference/dist/browser/standalone.js"),
        path.join(out, "scalar-standalone.txt"),
      );
      return { ok: true };
    },
  },
  worker: {
    target: WORKER_BUNDLE,
    build: () => {
      rmSync(path.join(projectRoot, "dist/worker"), { recursive: true, force: true });
      return run(bin("wrangler"), ["deploy", "--dry-run", "--outdir", "dist/worker"]);
    },
  },
  cli: {
    target: CLI_JS,
    build: () => {
      rmSync(path.join(projectRoot, "dist/node"), { recursive: true, force: true });
      return run(bin("tsc"), ["-p", "tsconfig.build.json"]);
    },
  },
};

const args = process.argv.slice(2);
const force = args.includes("--force");
const names = args.filter((arg) => arg !== "--force");
const order =
  names.length === 0
    ? ["wasm", "docs", "worker"]
    : names.includes("worker")
      ? ["wasm", "docs", ...names]
      : names;
for (const name of new Set(order)) {
  const entry = builds[name];
  if (entry === undefined) {
    console.error(`build: unknown build '${name}' (wasm, docs, worker, cli)`);
    process.exit(2);
  }
  try {
    const { rebuilt } = ensureFresh(projectRoot, entry.target, entry.build, console.log, { force });
    if (!rebuilt) {
      console.log(`${entry.target.label} is up to date`);
    }
  } catch (error) {
    console.error((error as Error).message);
    process.exit(1);
  }
}

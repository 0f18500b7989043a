/**
 * Vitest global setup of the projects that run the built Worker in workerd (`edge`, `e2e`): after an
 * edit to worker/, models/ or wasm/, a run of one file tests the edited code, because the kernels and
 * dist/worker are rebuilt first (a few seconds) with the steps of `npm run build`, or the run stops with
 * the build's error instead of testing the old bundle.
 */
import type { TestProject } from "vitest/node";
import { ensureFresh } from "../../scripts/build/freshness.ts";
import {
  EDGE_DOCS_BUNDLE,
  projectRoot,
  runNpmScript,
  WASM_KERNELS,
  WORKER_BUNDLE,
} from "../../scripts/build/targets.ts";

function ensureBuilds(): void {
  ensureFresh(projectRoot, WASM_KERNELS, () => runNpmScript("build:wasm"));
  ensureFresh(projectRoot, EDGE_DOCS_BUNDLE, () => runNpmScript("build:edge-inputs"));
  ensureFresh(projectRoot, WORKER_BUNDLE, () => runNpmScript("build:worker"));
}

export function setup(project: TestProject): void {
  ensureBuilds();
  // Watch mode runs the setup once: a rerun after an edit checks the builds again.
  project.onTestsRerun(ensureBuilds);
}

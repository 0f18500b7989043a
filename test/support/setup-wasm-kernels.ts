/**
 * Vitest global setup of the `unit` project: the kernel tests load wasm/build, so it is rebuilt first
 * when its sources changed (about a second), or the run stops with the build's error.
 */
import type { TestProject } from "vitest/node";
import { ensureFresh } from "../../scripts/build/freshness.ts";
import { projectRoot, runNpmScript, WASM_KERNELS } from "../../scripts/build/targets.ts";

function ensureKernels(): void {
  ensureFresh(projectRoot, WASM_KERNELS, () => runNpmScript("build:wasm"));
}

export function setup(project: TestProject): void {
  ensureKernels();
  // Watch mode runs the setup once: a rerun after an edit checks the kernels again.
  project.onTestsRerun(ensureKernels);
}

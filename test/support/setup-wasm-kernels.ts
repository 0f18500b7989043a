/**
 * Vitest global setup of the `unit` project: the kernel tests load wasm/build, so it is rebuilt first
 * when its sources changed (about a second), or the run stops with the build's error.
 */
import { ensureFresh } from "./build-freshness.ts";
import { projectRoot, runNpmScript, WASM_KERNELS } from "./build-targets.ts";

export function setup(): void {
  ensureFresh(projectRoot, WASM_KERNELS, () => runNpmScript("build:wasm"));
}

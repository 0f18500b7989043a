/**
 * Builds the AssemblyScript kernels into wasm/build/ (a build output, gitignored): `npm run build:wasm`.
 *
 * Only the raw `.wasm` is emitted (plus a `.wat` to read the generated SIMD): asc's generated ESM bindings
 * fetch and compile the binary, and workerd forbids compiling WebAssembly from bytes. Hosts instantiate
 * the module themselves (see int8-topk.ts).
 *
 * asc runs as its CLI in a child process rather than through `assemblyscript/asc`: importing that module's
 * types would declare AssemblyScript's portable globals (i32, load, abort…) in every program that
 * type-checks this file.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

/** Flags for every kernel: speed, the stub runtime (no GC: kernels never allocate managed objects), SIMD. */
const ASC_FLAGS = ["-O3", "--runtime", "stub", "--noAssert", "--enable", "simd"];

const KERNELS = ["int8-topk"];

const wasmDir = fileURLToPath(new URL(".", import.meta.url));
const outDir = `${wasmDir}build`;
const ascCli = fileURLToPath(import.meta.resolve("assemblyscript/bin/asc.js"));

mkdirSync(outDir, { recursive: true });
for (const name of KERNELS) {
  const source = `${wasmDir}assembly/${name}.ts`;
  const wasm = `${outDir}/${name}.wasm`;
  execFileSync(process.execPath, [ascCli, source, "-o", wasm, "-t", `${outDir}/${name}.wat`, ...ASC_FLAGS], {
    stdio: "inherit",
  });
  console.log(`built ${wasm} (${statSync(wasm).size} bytes)`);
}

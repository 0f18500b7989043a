/**
 * Makes onnxruntime-web's single-threaded WASM build run inside workerd.
 *
 * workerd forbids compiling WebAssembly from bytes, and ORT's loader only knows how to fetch or
 * compile its `.wasm`. Wrangler instead hands us the file as an already compiled
 * `WebAssembly.Module` (the default `CompiledWasm` rule). ORT accepts a `wasmBinary`, which its
 * emscripten glue passes to `WebAssembly.instantiate`; we give it a small sentinel buffer and wrap
 * `WebAssembly.instantiate` so that exactly that call instantiates the precompiled Module instead.
 * Every other call passes through untouched. See ../shared/NOTES.md ("onnxruntime-web inside
 * workerd") for the approaches that fail and why. This is the only file that knows the trick, so it
 * can be replaced if a runtime ever forbids wrapping `WebAssembly.instantiate`.
 */
import * as ort from "onnxruntime-web/wasm";
// Wrangler resolves `.wasm` imports as file paths, not package specifiers, hence the relative path.
import ortWasmModule from "../../node_modules/onnxruntime-web/dist/ort-wasm-simd-threaded.wasm";

const sentinel = new ArrayBuffer(8);

function isSentinel(source: unknown): boolean {
  if (source === sentinel) {
    return true;
  }
  // The glue may wrap the binary in a typed array view before instantiating it.
  return ArrayBuffer.isView(source) && source.buffer === sentinel;
}

let installed = false;

/** Configures ORT once per isolate. Cheap and idempotent; does no WASM work until a session is created. */
export function installOrtWasm(): typeof ort {
  if (installed) {
    return ort;
  }
  const instantiate = WebAssembly.instantiate.bind(WebAssembly) as (
    source: unknown,
    imports?: WebAssembly.Imports,
  ) => Promise<unknown>;
  const patched = async (source: unknown, imports?: WebAssembly.Imports): Promise<unknown> => {
    if (isSentinel(source)) {
      // Instantiating a Module (not bytes) is allowed in workerd and resolves to an Instance.
      const instance = await instantiate(ortWasmModule, imports);
      return { module: ortWasmModule, instance };
    }
    return instantiate(source, imports);
  };
  WebAssembly.instantiate = patched as typeof WebAssembly.instantiate;
  ort.env.wasm.numThreads = 1;
  ort.env.wasm.proxy = false;
  ort.env.wasm.wasmBinary = sentinel;
  installed = true;
  return ort;
}

// A `.wasm` import in the Worker is an already compiled WebAssembly.Module: wrangler's default rule for
// `*.wasm` is CompiledWasm, and workerd forbids compiling WebAssembly from bytes at run time.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

// Wrangler's CompiledWasm rule (wrangler.toml) turns every imported `.wasm` file into a compiled module.
declare module "*.wasm" {
  const module: WebAssembly.Module;
  export default module;
}

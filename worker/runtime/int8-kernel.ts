/**
 * The int8 top-k kernel (wasm/), imported statically so wrangler ships it as a compiled module.
 * One instance per isolate, made on first use; each instance holds one item table at a time.
 */
import kernelModule from "../../wasm/build/int8-topk.wasm";
import { createInt8TopK, type Int8TopK } from "../../wasm/index.ts";

let kernel: Int8TopK | null = null;

export function int8Kernel(): Int8TopK {
  kernel ??= createInt8TopK(kernelModule);
  return kernel;
}

/** Whether this isolate has instantiated the kernel, for /health. */
export function int8KernelLoaded(): boolean {
  return kernel !== null;
}

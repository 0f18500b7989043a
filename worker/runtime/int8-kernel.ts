/**
 * The catalogue kernel (wasm/), imported statically so wrangler ships it as a compiled module. Each
 * catalogue version gets its own instance, whose memory holds that catalogue's only copy: a request still
 * answering from the previous catalogue keeps its own instance while the next one loads.
 */
import kernelModule from "../../wasm/build/int8-topk.wasm";
import { type ReservedCatalogKernel, reserveCatalogKernel } from "../../wasm/catalog-kernel.ts";

let instances = 0;

/** A fresh kernel with `sizeBytes` of its memory reserved for a catalogue, to be filled then finished. */
export function reserveCatalog(sizeBytes: number): ReservedCatalogKernel {
  const reserved = reserveCatalogKernel(kernelModule, sizeBytes);
  instances += 1;
  return reserved;
}

/** Kernel instances this isolate has created, for /health. */
export function int8KernelInstances(): number {
  return instances;
}

/** WebAssembly kernels and their hosts (the sources in assembly/ are built by build.ts into build/). */
export { createInt8TopK, type Int8TopK, MAX_DIM, type TopKResult } from "./int8-topk.ts";
export { type QuantizedUserVector, quantizeUserVector } from "./quantize-user-vector.ts";

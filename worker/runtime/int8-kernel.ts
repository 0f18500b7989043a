/**
 * The int8 top-k kernel (wasm/), imported statically so wrangler ships it as a compiled module.
 * Each catalogue version gets its own instance: an instance holds one table, and a request still
 * scoring against the previous catalogue must not see its table swapped underneath it.
 */
import type { ItemVectors } from "../../models/catalog/index.ts";
import kernelModule from "../../wasm/build/int8-topk.wasm";
import { createInt8TopK } from "../../wasm/index.ts";
import { type CandidateScorer, loadKernelScorer } from "../decision/index.ts";

let instances = 0;

/** A scorer over `table` backed by a fresh kernel instance (one copy of the table in its memory). */
export function kernelScorerFor(table: ItemVectors): CandidateScorer {
  const scorer = loadKernelScorer(createInt8TopK(kernelModule), table);
  instances += 1;
  return scorer;
}

/** Kernel instances this isolate has created, for /health. */
export function int8KernelInstances(): number {
  return instances;
}

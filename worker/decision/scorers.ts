/**
 * The two candidate scorers: the wasm int8 kernel (what workerd runs) and its TypeScript reference (what
 * tests run, and the fallback where the kernel cannot load). Both rank bit-identically (see
 * wasm/int8-topk-reference.ts), so a decision does not depend on which one served it.
 */
import type { ItemVectors } from "../../models/catalog/index.ts";
import type { Int8TopK } from "../../wasm/int8-topk.ts";
import { type Int8ItemTable, topKReference } from "../../wasm/int8-topk-reference.ts";
import type { CandidateScorer } from "./types.ts";

/**
 * Loads the table into the kernel (a copy into wasm memory, so do it once per catalogue version and keep
 * the scorer) and returns a scorer over it.
 */
export function loadKernelScorer(kernel: Int8TopK, table: ItemVectors): CandidateScorer {
  kernel.loadTable(table.values, table.scales, table.scales.length, table.dim);
  return (user, userScale, n, exclude) => kernel.topK(user, userScale, n, exclude);
}

export function referenceScorer(table: ItemVectors): CandidateScorer {
  const int8Table: Int8ItemTable = {
    data: table.values,
    scales: table.scales,
    items: table.scales.length,
    dim: table.dim,
  };
  return (user, userScale, n, exclude) => topKReference(int8Table, user, userScale, n, exclude);
}

/**
 * Plain TypeScript twin of the int8 top-k kernel: the oracle for its tests and the baseline for its
 * benchmark. Same arithmetic, step by step in float32 (Math.fround), so every score matches the kernel's bit
 * for bit: score(i) = f32(dot) · f32(scale(i) · f32(userScale)). The dot product of int8 values is an exact
 * integer in a double, and the product of two float32 values is exact in a double, so each Math.fround is
 * the single IEEE rounding that the kernel's f32 instruction performs. Same ranking: higher score first,
 * equal scores by lower index. A bounded heap like the kernel's keeps the baseline fair.
 */
import type { TopKResult } from "./int8-topk.ts";
import { TopNHeap } from "./top-n-by-score.ts";

/** An item table as the kernel holds it: row-major int8 rows, one scale per row or one for all. */
export interface Int8ItemTable {
  data: Int8Array;
  scales: Float32Array;
  items: number;
  dim: number;
}

// Arguments are the table's fields rather than the table, so V8 keeps them in registers across the loop.
function scoreItem(
  data: Int8Array,
  scales: Float32Array,
  dim: number,
  item: number,
  user: Int8Array,
  userScale: number,
): number {
  const row = item * dim;
  let dot = 0;
  for (let c = 0; c < dim; c++) {
    dot += data[row + c]! * user[c]!;
  }
  const scale = scales.length === 1 ? scales[0]! : scales[item]!;
  return Math.fround(Math.fround(dot) * Math.fround(scale * userScale));
}

export function scoreAllReference(table: Int8ItemTable, user: Int8Array, userScale: number): Float32Array {
  const { data, scales, dim, items } = table;
  const scale = Math.fround(userScale);
  const out = new Float32Array(items);
  for (let i = 0; i < items; i++) {
    out[i] = scoreItem(data, scales, dim, i, user, scale);
  }
  return out;
}

export function topKReference(
  table: Int8ItemTable,
  user: Int8Array,
  userScale: number,
  k: number,
  exclude?: Int32Array | Uint32Array,
): TopKResult {
  const { data, scales, dim, items } = table;
  const scale = Math.fround(userScale);
  const excluded = new Uint8Array(items);
  for (const index of exclude ?? []) {
    if (index >= 0 && index < items) {
      excluded[index] = 1;
    }
  }
  // Scored and kept in one pass, like the kernel, so the benchmark baseline is fair.
  const heap = new TopNHeap(Math.min(k, items));
  for (let i = 0; i < items; i++) {
    if (excluded[i] !== 1) {
      heap.offer(scoreItem(data, scales, dim, i, user, scale), i);
    }
  }
  const { indices, scores } = heap.result();
  return { indices: indices.slice(), scores: scores.slice() };
}

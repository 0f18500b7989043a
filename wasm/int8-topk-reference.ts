/**
 * Plain TypeScript twin of the int8 top-k kernel: the oracle for its tests and the baseline for its
 * benchmark. Same arithmetic, step by step in float32 (Math.fround), so every score matches the kernel's bit
 * for bit: score(i) = f32(dot) · f32(scale(i) · f32(userScale)). The dot product of int8 values is an exact
 * integer in a double, and the product of two float32 values is exact in a double, so each Math.fround is
 * the single IEEE rounding that the kernel's f32 instruction performs. Same ranking: higher score first,
 * equal scores by lower index. A bounded heap like the kernel's keeps the baseline fair.
 */
import type { TopKResult } from "./int8-topk.ts";
import { siftDown, worse } from "./top-n-by-score.ts";

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
  const capacity = Math.min(k, items);
  const excluded = new Uint8Array(items);
  for (const index of exclude ?? []) {
    if (index >= 0 && index < items) {
      excluded[index] = 1;
    }
  }
  // Min-heap on (score, -index): its root is the worst item kept so far.
  const heapScores = new Float32Array(capacity);
  const heapIndices = new Uint32Array(capacity);
  let size = 0;
  for (let i = 0; i < items && capacity > 0; i++) {
    if (excluded[i] === 1) {
      continue;
    }
    const s = scoreItem(data, scales, dim, i, user, scale);
    if (size < capacity) {
      let pos = size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(s, i, heapScores[parent]!, heapIndices[parent]!)) {
          break;
        }
        heapScores[pos] = heapScores[parent]!;
        heapIndices[pos] = heapIndices[parent]!;
        pos = parent;
      }
      heapScores[pos] = s;
      heapIndices[pos] = i;
    } else if (worse(heapScores[0]!, heapIndices[0]!, s, i)) {
      siftDown(heapScores, heapIndices, size, s, i);
    }
  }
  // Heapsort: the worst remaining entry goes to the end each time, leaving the best first.
  for (let last = size - 1; last > 0; last--) {
    const s = heapScores[last]!;
    const i = heapIndices[last]!;
    heapScores[last] = heapScores[0]!;
    heapIndices[last] = heapIndices[0]!;
    siftDown(heapScores, heapIndices, last, s, i);
  }
  return { indices: heapIndices.slice(0, size), scores: heapScores.slice(0, size) };
}

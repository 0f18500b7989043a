/**
 * The n best eligible items by a per-item score with a bounded min-heap: O(items · log n) and two arrays
 * of n, where sorting the catalogue would cost O(items · log items) per request. Ranking matches the int8
 * kernel's (assembly/int8-topk.ts): higher score first, equal scores by lower index. The kernel's
 * TypeScript reference and the decision engine's popularity ranking both use it.
 */
import type { TopKResult } from "./int8-topk.ts";

/** Whether (scoreA, indexA) ranks below (scoreB, indexB). */
export function worse(scoreA: number, indexA: number, scoreB: number, indexB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && indexA > indexB);
}

/** Restores the min-heap after its root is replaced by (s, i). */
export function siftDown(
  scores: Float32Array,
  indices: Uint32Array,
  size: number,
  s: number,
  i: number,
): void {
  let pos = 0;
  for (;;) {
    let child = 2 * pos + 1;
    if (child >= size) {
      break;
    }
    if (child + 1 < size && worse(scores[child + 1]!, indices[child + 1]!, scores[child]!, indices[child]!)) {
      child++;
    }
    if (!worse(scores[child]!, indices[child]!, s, i)) {
      break;
    }
    scores[pos] = scores[child]!;
    indices[pos] = indices[child]!;
    pos = child;
  }
  scores[pos] = s;
  indices[pos] = i;
}

/** Items with mask[i] === 1, best `n` by `scores`, best first. */
export function topNByScore(scores: Float32Array, n: number, mask: Uint8Array): TopKResult {
  const capacity = Math.max(0, Math.min(n, scores.length));
  const heapScores = new Float32Array(capacity);
  const heapIndices = new Uint32Array(capacity);
  let size = 0;
  for (let i = 0; i < scores.length && capacity > 0; i++) {
    if (mask[i] !== 1) {
      continue;
    }
    const s = scores[i]!;
    if (size < capacity) {
      // Sift up: the root stays the worst item kept so far.
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
  // Heapsort in place: the worst remaining entry moves to the end each time, leaving the best first.
  for (let last = size - 1; last > 0; last--) {
    const s = heapScores[last]!;
    const i = heapIndices[last]!;
    heapScores[last] = heapScores[0]!;
    heapIndices[last] = heapIndices[0]!;
    siftDown(heapScores, heapIndices, last, s, i);
  }
  return { indices: heapIndices.subarray(0, size), scores: heapScores.subarray(0, size) };
}

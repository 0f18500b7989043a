/**
 * The n best items by a score with a bounded min-heap: O(items · log n) and two arrays of n, where
 * sorting the catalogue would cost O(items · log items) per request. Ranking matches the int8 kernel's
 * (assembly/int8-topk.ts): higher score first, equal scores by lower index. The kernel's TypeScript
 * reference and the decision engine's popularity ranking both use it.
 */
import type { TopKResult } from "./int8-topk.ts";

/** Whether (scoreA, indexA) ranks below (scoreB, indexB). */
function worse(scoreA: number, indexA: number, scoreB: number, indexB: number): boolean {
  return scoreA < scoreB || (scoreA === scoreB && indexA > indexB);
}

/** Keeps the best `capacity` (score, index) pairs offered to it; `result()` returns them best first. */
export class TopNHeap {
  readonly #scores: Float32Array;
  readonly #indices: Uint32Array;
  #size = 0;

  constructor(capacity: number) {
    const size = Math.max(0, Math.floor(capacity));
    this.#scores = new Float32Array(size);
    this.#indices = new Uint32Array(size);
  }

  offer(score: number, index: number): void {
    const scores = this.#scores;
    const indices = this.#indices;
    if (this.#size < scores.length) {
      // Sift up: the root stays the worst item kept so far.
      let pos = this.#size++;
      while (pos > 0) {
        const parent = (pos - 1) >> 1;
        if (!worse(score, index, scores[parent]!, indices[parent]!)) {
          break;
        }
        scores[pos] = scores[parent]!;
        indices[pos] = indices[parent]!;
        pos = parent;
      }
      scores[pos] = score;
      indices[pos] = index;
    } else if (this.#size > 0 && worse(scores[0]!, indices[0]!, score, index)) {
      this.#siftDown(this.#size, score, index);
    }
  }

  /** The kept scores in heap order (not sorted), without spending the heap. */
  peekScores(): Float32Array {
    return this.#scores.subarray(0, this.#size);
  }

  /** The kept pairs, best first (heapsort in place: the heap is spent afterwards). */
  result(): TopKResult {
    const scores = this.#scores;
    const indices = this.#indices;
    for (let last = this.#size - 1; last > 0; last--) {
      const s = scores[last]!;
      const i = indices[last]!;
      scores[last] = scores[0]!;
      indices[last] = indices[0]!;
      this.#siftDown(last, s, i);
    }
    return { indices: indices.subarray(0, this.#size), scores: scores.subarray(0, this.#size) };
  }

  /** Restores the min-heap over the first `size` entries after its root is replaced by (s, i). */
  #siftDown(size: number, s: number, i: number): void {
    const scores = this.#scores;
    const indices = this.#indices;
    let pos = 0;
    for (;;) {
      let child = 2 * pos + 1;
      if (child >= size) {
        break;
      }
      if (
        child + 1 < size &&
        worse(scores[child + 1]!, indices[child + 1]!, scores[child]!, indices[child]!)
      ) {
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
}

/** Items with mask[i] === 1, best `n` by `scores`, best first. */
export function topNByScore(scores: Float32Array, n: number, mask: Uint8Array): TopKResult {
  const heap = new TopNHeap(Math.min(n, scores.length));
  for (let i = 0; i < scores.length; i++) {
    if (mask[i] === 1) {
      heap.offer(scores[i]!, i);
    }
  }
  return heap.result();
}

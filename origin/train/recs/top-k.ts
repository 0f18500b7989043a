/**
 * The k best-scoring indices, best first, skipping `exclude` (a user's already-seen items) and scores that
 * are -Infinity (items a model cannot score). A k-slot insertion buffer: O(n + hits·k), no allocation per
 * item, which beats sorting 10k scores for k = 10. Ties keep the lower index first.
 */
export function topK(
  scores: ArrayLike<number>,
  k: number,
  exclude: ArrayLike<number> = [],
  excludeMask?: Uint8Array,
): Int32Array {
  const n = scores.length;
  const mask = excludeMask ?? new Uint8Array(n);
  for (let t = 0; t < exclude.length; t++) {
    mask[exclude[t]!] = 1;
  }
  const best = new Int32Array(k);
  const bestScore = new Float64Array(k).fill(Number.NEGATIVE_INFINITY);
  let filled = 0;
  for (let i = 0; i < n; i++) {
    const s = scores[i]!;
    if (mask[i] || s === Number.NEGATIVE_INFINITY || Number.isNaN(s)) {
      continue;
    }
    // Into the next free slot, or over the worst kept one when it beats that; then up past lower scores.
    let p: number;
    if (filled < k) {
      p = filled++;
    } else if (s > bestScore[k - 1]!) {
      p = k - 1;
    } else {
      continue;
    }
    while (p > 0 && bestScore[p - 1]! < s) {
      best[p] = best[p - 1]!;
      bestScore[p] = bestScore[p - 1]!;
      p--;
    }
    best[p] = i;
    bestScore[p] = s;
  }
  // Leave a caller's mask clean for the next user.
  for (let t = 0; t < exclude.length; t++) {
    mask[exclude[t]!] = 0;
  }
  return filled === k ? best : best.slice(0, filled);
}

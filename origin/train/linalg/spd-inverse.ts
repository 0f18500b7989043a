import { type CholeskyOptions, choleskyInPlace, dotRange } from "./cholesky.ts";

/**
 * Inverse of an n×n SPD matrix through its Cholesky factor, A⁻¹ = L⁻ᵀ·L⁻¹, arranged so every product is a
 * dot of two contiguous rows: W holds the columns of L⁻¹ as rows (W = L⁻ᵀ, upper triangular), so
 * (A⁻¹)[a][b] = Σ_{k ≥ max(a,b)} W[a][k]·W[b][k]. Cost ≈ n³/2 multiply-adds in three tiled passes
 * (factor, triangular inverse, product); 2 × n² doubles of memory. `a` is overwritten: on return it holds
 * the full symmetric inverse.
 */
export function spdInverseInPlace(a: Float64Array, n: number, options: CholeskyOptions = {}): void {
  choleskyInPlace(a, n, options);
  const w = new Float64Array(n * n);
  const rhsBlock = 4;
  // Columns j of L⁻¹, four at a time so each row of L is loaded once per four right-hand sides:
  // W[j][i] = (δ_ij − Σ_{k=j}^{i-1} L[i][k]·W[j][k]) / L[i][i].
  for (let j0 = 0; j0 < n; j0 += rhsBlock) {
    const j1 = Math.min(n, j0 + rhsBlock);
    for (let i = j0; i < n; i++) {
      const ri = i * n;
      const inv = 1 / a[ri + i]!;
      if (j1 - j0 === 4 && i >= j0 + 3) {
        const w0 = j0 * n;
        const w1 = w0 + n;
        const w2 = w1 + n;
        const w3 = w2 + n;
        let s0 = 0;
        let s1 = 0;
        let s2 = 0;
        let s3 = 0;
        // W[j][k] is zero for k < j, so every row can run from j0.
        for (let k = j0; k < i; k++) {
          const l = a[ri + k]!;
          s0 += l * w[w0 + k]!;
          s1 += l * w[w1 + k]!;
          s2 += l * w[w2 + k]!;
          s3 += l * w[w3 + k]!;
        }
        w[w0 + i] = -s0 * inv;
        w[w1 + i] = -s1 * inv;
        w[w2 + i] = -s2 * inv;
        w[w3 + i] = ((i === j0 + 3 ? 1 : 0) - s3) * inv;
      } else {
        for (let j = j0; j < j1 && j <= i; j++) {
          const rw = j * n;
          w[rw + i] = ((i === j ? 1 : 0) - dotRange(a, ri + j, w, rw + j, i - j)) * inv;
        }
      }
    }
  }
  // A⁻¹[x][y] for y ≤ x = dot(W[x, x:n], W[y, x:n]), accumulated over k-chunks so that a tile of W[y] row
  // segments (tile × kChunk doubles, 256 KB) stays in L2 while every row x streams past it.
  const tile = 64;
  const kChunk = 512;
  for (let y0 = 0; y0 < n; y0 += tile) {
    const y1 = Math.min(n, y0 + tile);
    for (let x = y0; x < n; x++) {
      const rx = x * n;
      for (let y = y0; y < y1 && y <= x; y++) {
        a[rx + y] = 0;
      }
    }
    for (let k0 = y0; k0 < n; k0 += kChunk) {
      const k1 = Math.min(n, k0 + kChunk);
      for (let x = y0; x < k1; x++) {
        const rx = x * n;
        const kStart = Math.max(x, k0);
        const yEnd = Math.min(y1, x + 1);
        let y = y0;
        for (; y + 1 < yEnd; y += 2) {
          const ry = y * n;
          const ry2 = ry + n;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          let k = kStart;
          for (; k + 1 < k1; k += 2) {
            const v0 = w[rx + k]!;
            const v1 = w[rx + k + 1]!;
            s0 += v0 * w[ry + k]!;
            s1 += v1 * w[ry + k + 1]!;
            s2 += v0 * w[ry2 + k]!;
            s3 += v1 * w[ry2 + k + 1]!;
          }
          for (; k < k1; k++) {
            const v0 = w[rx + k]!;
            s0 += v0 * w[ry + k]!;
            s2 += v0 * w[ry2 + k]!;
          }
          a[rx + y] = a[rx + y]! + s0 + s1;
          a[rx + y + 1] = a[rx + y + 1]! + s2 + s3;
        }
        for (; y < yEnd; y++) {
          a[rx + y] = a[rx + y]! + dotRange(w, rx + kStart, w, y * n + kStart, k1 - kStart);
        }
      }
    }
  }
  for (let x = 0; x < n; x++) {
    for (let y = 0; y < x; y++) {
      a[y * n + x] = a[x * n + y]!;
    }
  }
}

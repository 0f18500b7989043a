/**
 * Dense symmetric positive-definite algebra in float64, row-major, written for V8: every inner loop is a dot
 * product over two contiguous row segments, and the O(n³) parts are tiled so a block of rows stays in cache
 * while the other operand streams past it. No allocation inside the loops.
 */

/** Σ a[ao + t] · b[bo + t] for t < len. Four accumulators let V8 overlap the multiply-adds. */
export function dotRange(a: Float64Array, ao: number, b: Float64Array, bo: number, len: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < len; t += 4) {
    s0 += a[ao + t]! * b[bo + t]!;
    s1 += a[ao + t + 1]! * b[bo + t + 1]!;
    s2 += a[ao + t + 2]! * b[bo + t + 2]!;
    s3 += a[ao + t + 3]! * b[bo + t + 3]!;
  }
  for (; t < len; t++) {
    s0 += a[ao + t]! * b[bo + t]!;
  }
  return s0 + s1 + s2 + s3;
}

export interface CholeskyOptions {
  /** columns per panel; 64–128 keeps a panel's rows in L2 on common CPUs */
  blockSize?: number;
}

/**
 * Overwrites the lower triangle of the n×n SPD matrix `a` (row-major) with its Cholesky factor L, A = L·Lᵀ.
 * The strict upper triangle is left as it was. Left-looking and blocked: for each panel of columns, first
 * subtract the contribution of all finished columns (the O(n³) part, tiled over k), then factor the panel
 * column by column. Throws when A is not positive definite (a pivot ≤ 0).
 */
export function choleskyInPlace(a: Float64Array, n: number, options: CholeskyOptions = {}): void {
  if (a.length < n * n) {
    throw new Error(`choleskyInPlace: buffer of ${a.length} for a ${n}×${n} matrix`);
  }
  const nb = options.blockSize ?? 96;
  const kb = 256;
  for (let j0 = 0; j0 < n; j0 += nb) {
    const j1 = Math.min(n, j0 + nb);
    // Panel update: A[i, j] -= L[i, 0:j0] · L[j, 0:j0] for i ≥ j, j in the panel; tiled over k so the panel's
    // rows (nb × kb doubles) are reused by every row i while they are in cache.
    for (let k0 = 0; k0 < j0; k0 += kb) {
      const len = Math.min(j0, k0 + kb) - k0;
      for (let i = j0; i < n; i++) {
        const ri = i * n;
        const jEnd = Math.min(j1, i + 1);
        let j = j0;
        for (; j + 1 < jEnd; j += 2) {
          // two dots at once share the loads of row i
          const rj = j * n;
          const rj2 = rj + n;
          let s0 = 0;
          let s1 = 0;
          let s2 = 0;
          let s3 = 0;
          let t = k0;
          const end = k0 + len;
          for (; t + 1 < end; t += 2) {
            const x0 = a[ri + t]!;
            const x1 = a[ri + t + 1]!;
            s0 += x0 * a[rj + t]!;
            s1 += x1 * a[rj + t + 1]!;
            s2 += x0 * a[rj2 + t]!;
            s3 += x1 * a[rj2 + t + 1]!;
          }
          for (; t < end; t++) {
            const x0 = a[ri + t]!;
            s0 += x0 * a[rj + t]!;
            s2 += x0 * a[rj2 + t]!;
          }
          a[ri + j] = a[ri + j]! - (s0 + s1);
          a[ri + j + 1] = a[ri + j + 1]! - (s2 + s3);
        }
        for (; j < jEnd; j++) {
          a[ri + j] = a[ri + j]! - dotRange(a, ri + k0, a, j * n + k0, len);
        }
      }
    }
    // Factor the panel: only columns j0..j-1 of the panel remain to subtract.
    for (let j = j0; j < j1; j++) {
      const rj = j * n;
      const d = a[rj + j]! - dotRange(a, rj + j0, a, rj + j0, j - j0);
      if (!(d > 0)) {
        throw new Error(`choleskyInPlace: matrix is not positive definite (pivot ${d} at column ${j})`);
      }
      const ljj = Math.sqrt(d);
      a[rj + j] = ljj;
      const inv = 1 / ljj;
      for (let i = j + 1; i < n; i++) {
        const ri = i * n;
        a[ri + j] = (a[ri + j]! - dotRange(a, ri + j0, a, rj + j0, j - j0)) * inv;
      }
    }
  }
}

/** Solves L·Lᵀ·x = b in place in `b`, with L the factor that choleskyInPlace left in the lower triangle. */
export function choleskySolveInPlace(l: Float64Array, n: number, b: Float64Array): void {
  for (let i = 0; i < n; i++) {
    b[i] = (b[i]! - dotRange(l, i * n, b, 0, i)) / l[i * n + i]!;
  }
  for (let i = n - 1; i >= 0; i--) {
    let s = b[i]!;
    for (let k = i + 1; k < n; k++) {
      s -= l[k * n + i]! * b[k]!;
    }
    b[i] = s / l[i * n + i]!;
  }
}

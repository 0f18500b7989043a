/**
 * The little dense algebra the bandit needs, row-major float64. Matrices here are at most 256×256 and
 * factorised once per published version (or per decision for the da×da projection), so plain loops are
 * enough; origin/train/linalg has the blocked kernels for the big ones but models/ must not import origin.
 */

/** Overwrites the lower triangle of SPD `a` (n×n) with L, A = L·Lᵀ; zeroes the strict upper triangle. */
export function choleskyInPlace(a: Float64Array, n: number): void {
  for (let j = 0; j < n; j++) {
    const rj = j * n;
    let d = a[rj + j]!;
    for (let k = 0; k < j; k++) {
      d -= a[rj + k]! * a[rj + k]!;
    }
    if (!(d > 0)) {
      throw new Error(`choleskyInPlace: matrix is not positive definite (pivot ${d} at column ${j})`);
    }
    const ljj = Math.sqrt(d);
    a[rj + j] = ljj;
    for (let i = j + 1; i < n; i++) {
      const ri = i * n;
      let s = a[ri + j]!;
      for (let k = 0; k < j; k++) {
        s -= a[ri + k]! * a[rj + k]!;
      }
      a[ri + j] = s / ljj;
    }
    for (let k = j + 1; k < n; k++) {
      a[rj + k] = 0;
    }
  }
}

/** The inverse of SPD `a` (n×n) into `out`, through its Cholesky factor; `a` is left untouched. */
export function spdInverse(a: Float64Array, n: number, out: Float64Array): void {
  const l = a.slice(0, n * n);
  choleskyInPlace(l, n);
  const column = new Float64Array(n);
  for (let c = 0; c < n; c++) {
    column.fill(0);
    column[c] = 1;
    // L·y = e_c, then Lᵀ·x = y.
    for (let i = 0; i < n; i++) {
      let s = column[i]!;
      for (let k = 0; k < i; k++) {
        s -= l[i * n + k]! * column[k]!;
      }
      column[i] = s / l[i * n + i]!;
    }
    for (let i = n - 1; i >= 0; i--) {
      let s = column[i]!;
      for (let k = i + 1; k < n; k++) {
        s -= l[k * n + i]! * column[k]!;
      }
      column[i] = s / l[i * n + i]!;
    }
    for (let i = 0; i < n; i++) {
      out[i * n + c] = column[i]!;
    }
  }
  // Round-off leaves the two triangles a few ulps apart; a symmetric A⁻¹ keeps quadratic forms consistent.
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < i; j++) {
      const v = 0.5 * (out[i * n + j]! + out[j * n + i]!);
      out[i * n + j] = v;
      out[j * n + i] = v;
    }
  }
}

/** out = M·v for n×n M. */
export function matVec(m: Float64Array, v: Float64Array, n: number, out: Float64Array): void {
  for (let i = 0; i < n; i++) {
    let s = 0;
    const ri = i * n;
    for (let k = 0; k < n; k++) {
      s += m[ri + k]! * v[k]!;
    }
    out[i] = s;
  }
}

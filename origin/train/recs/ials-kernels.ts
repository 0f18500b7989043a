/**
 * The arithmetic of one iALS half-epoch, over a range of rows, so that the main thread and worker threads
 * (ials-team.ts) run exactly the same code on their share. Every row's solve reads only the fixed other
 * side and the shared Gram matrix, and the Gram matrix is summed from fixed blocks in block order, so the
 * result does not depend on how rows are shared out: identical bytes with 1 thread or 8.
 */
import { dotRange } from "../linalg/cholesky.ts";

/** Rows per Gram block: the unit of the fixed summation order (independent of the thread count). */
export const GRAM_BLOCK_ROWS = 4096;

/** Adds the upper triangle of Σ yᵣyᵣᵀ over rows [from, to) of the row-major [rows, f] table into `out`. */
export function gramBlock(y: Float64Array, from: number, to: number, f: number, out: Float64Array): void {
  out.fill(0);
  for (let r = from; r < to; r++) {
    const base = r * f;
    for (let a = 0; a < f; a++) {
      const ya = y[base + a]!;
      if (ya === 0) {
        continue;
      }
      const ra = a * f;
      for (let b = a; b < f; b++) {
        out[ra + b]! += ya * y[base + b]!;
      }
    }
  }
}

/** YᵀY from the blocks' upper triangles, summed in block order, then mirrored. */
export function sumGramBlocks(parts: Float64Array, blocks: number, f: number, out: Float64Array): void {
  const size = f * f;
  out.fill(0);
  for (let k = 0; k < blocks; k++) {
    const base = k * size;
    for (let t = 0; t < size; t++) {
      out[t]! += parts[base + t]!;
    }
  }
  for (let a = 0; a < f; a++) {
    for (let b = 0; b < a; b++) {
      out[a * f + b] = out[b * f + a]!;
    }
  }
}

export interface Scratch {
  r: Float64Array;
  p: Float64Array;
  ap: Float64Array;
  x: Float64Array;
}

export function newScratch(f: number): Scratch {
  return { r: new Float64Array(f), p: new Float64Array(f), ap: new Float64Array(f), x: new Float64Array(f) };
}

/** The CSR arrays a half-epoch reads (plain or shared memory). */
export interface CsrView {
  offsets: Int32Array;
  indices: Int32Array;
  values: Float32Array;
}

/** out[t] += w·y[yo + t] */
function axpy(w: number, y: Float64Array, yo: number, out: Float64Array, n: number): void {
  let t = 0;
  for (; t + 3 < n; t += 4) {
    out[t] = out[t]! + w * y[yo + t]!;
    out[t + 1] = out[t + 1]! + w * y[yo + t + 1]!;
    out[t + 2] = out[t + 2]! + w * y[yo + t + 2]!;
    out[t + 3] = out[t + 3]! + w * y[yo + t + 3]!;
  }
  for (; t < n; t++) {
    out[t] = out[t]! + w * y[yo + t]!;
  }
}

/** out = (YᵀY + λI)·v, four rows of YᵀY per pass so each v[b] load feeds four multiply-adds. */
function gramTimes(yty: Float64Array, lambda: number, v: Float64Array, out: Float64Array, f: number): void {
  let a = 0;
  for (; a + 3 < f; a += 4) {
    const r0 = a * f;
    const r1 = r0 + f;
    const r2 = r1 + f;
    const r3 = r2 + f;
    let s0 = 0;
    let s1 = 0;
    let s2 = 0;
    let s3 = 0;
    for (let b = 0; b < f; b++) {
      const vb = v[b]!;
      s0 += yty[r0 + b]! * vb;
      s1 += yty[r1 + b]! * vb;
      s2 += yty[r2 + b]! * vb;
      s3 += yty[r3 + b]! * vb;
    }
    out[a] = s0 + lambda * v[a]!;
    out[a + 1] = s1 + lambda * v[a + 1]!;
    out[a + 2] = s2 + lambda * v[a + 2]!;
    out[a + 3] = s3 + lambda * v[a + 3]!;
  }
  for (; a < f; a++) {
    out[a] = lambda * v[a]! + dotRange(yty, a * f, v, 0, f);
  }
}

export interface SolveParams {
  f: number;
  lambda: number;
  alpha: number;
  cgSteps: number;
}

/**
 * Re-solves rows [from, to) of `x` against the fixed `y`, warm-starting CG from the current row. The first
 * pass over the row's items fuses b and A·x: r = Σᵢ (cᵢ − (cᵢ − 1)·yᵢ·x)·yᵢ − (YᵀY + λI)·x.
 */
export function solveRows(
  x: Float64Array,
  y: Float64Array,
  m: CsrView,
  from: number,
  to: number,
  params: SolveParams,
  yty: Float64Array,
  s: Scratch,
): void {
  const { f, lambda, alpha, cgSteps } = params;
  const { r, p, ap } = s;
  const xRow = s.x;
  for (let row = from; row < to; row++) {
    const xb = row * f;
    for (let a = 0; a < f; a++) {
      xRow[a] = x[xb + a]!;
    }
    const start = m.offsets[row]!;
    const end = m.offsets[row + 1]!;
    gramTimes(yty, lambda, xRow, r, f);
    for (let a = 0; a < f; a++) {
      r[a] = -r[a]!;
    }
    for (let t = start; t < end; t++) {
      const base = m.indices[t]! * f;
      const extra = alpha * m.values[t]!;
      axpy(1 + extra - extra * dotRange(y, base, xRow, 0, f), y, base, r, f);
    }
    let rs = dotRange(r, 0, r, 0, f);
    p.set(r);
    for (let step = 0; step < cgSteps && rs > 1e-20; step++) {
      gramTimes(yty, lambda, p, ap, f);
      for (let t = start; t < end; t++) {
        const base = m.indices[t]! * f;
        axpy(alpha * m.values[t]! * dotRange(y, base, p, 0, f), y, base, ap, f);
      }
      const stepSize = rs / dotRange(p, 0, ap, 0, f);
      for (let a = 0; a < f; a++) {
        xRow[a] = xRow[a]! + stepSize * p[a]!;
        r[a] = r[a]! - stepSize * ap[a]!;
      }
      const rsNew = dotRange(r, 0, r, 0, f);
      const beta = rsNew / rs;
      for (let a = 0; a < f; a++) {
        p[a] = r[a]! + beta * p[a]!;
      }
      rs = rsNew;
    }
    x.set(xRow, xb);
  }
}

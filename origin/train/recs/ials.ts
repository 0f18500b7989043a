import { mulberry32, randomNormalArray } from "../../../models/random.ts";
import { type CsrMatrix, transposeCsr } from "./csr.ts";

/**
 * Implicit matrix factorisation by alternating least squares (Hu, Koren, Volinsky 2008): preference p = 1 for
 * observed pairs, confidence c = 1 + α·value, minimise Σ c·(p − xᵤ·yᵢ)² + λ(‖X‖² + ‖Y‖²) over all pairs.
 * Each row's normal equations (YᵀY + Σᵢ (cᵢ − 1)·yᵢyᵢᵀ + λI)·x = Σᵢ cᵢ·yᵢ are solved approximately with a few
 * warm-started conjugate-gradient steps (Takács, Pilászy, Tikk 2011) instead of a Cholesky per row:
 * O(f² + |row|·f) per step, never forming the f×f matrix. The shared YᵀY is computed once per half-epoch.
 */
export interface IalsOptions {
  factors?: number;
  /** L2 strength λ */
  lambda?: number;
  /** confidence slope α in c = 1 + α·value */
  alpha?: number;
  iterations?: number;
  cgSteps?: number;
  seed?: number;
  /** standard deviation of the random initial factors */
  initStd?: number;
}

export interface MfModel {
  users: number;
  items: number;
  factors: number;
  /** [users, factors] row-major */
  userFactors: Float32Array;
  /** [items, factors] row-major: the table the edge scores against */
  itemFactors: Float32Array;
}

export const IALS_DEFAULTS = {
  factors: 64,
  lambda: 1,
  alpha: 10,
  iterations: 15,
  // On MovieLens-small 2 warm-started CG steps score the same nDCG@10 as 3 (0.381) for two thirds of the time.
  cgSteps: 2,
  seed: 1,
  initStd: 0.01,
} as const;

/** YᵀY (f × f, symmetric) of a row-major [rows, f] table. */
function gram(y: Float64Array, rows: number, f: number, out: Float64Array): void {
  out.fill(0);
  for (let r = 0; r < rows; r++) {
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
  for (let a = 0; a < f; a++) {
    for (let b = 0; b < a; b++) {
      out[a * f + b] = out[b * f + a]!;
    }
  }
}

interface Scratch {
  r: Float64Array;
  p: Float64Array;
  ap: Float64Array;
  x: Float64Array;
}

/** Σ a[ao + t]·b[bo + t], four accumulators so V8 overlaps the multiply-adds. */
function dot(a: Float64Array, ao: number, b: Float64Array, bo: number, n: number): number {
  let s0 = 0;
  let s1 = 0;
  let s2 = 0;
  let s3 = 0;
  let t = 0;
  for (; t + 3 < n; t += 4) {
    s0 += a[ao + t]! * b[bo + t]!;
    s1 += a[ao + t + 1]! * b[bo + t + 1]!;
    s2 += a[ao + t + 2]! * b[bo + t + 2]!;
    s3 += a[ao + t + 3]! * b[bo + t + 3]!;
  }
  for (; t < n; t++) {
    s0 += a[ao + t]! * b[bo + t]!;
  }
  return s0 + s1 + s2 + s3;
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
    out[a] = lambda * v[a]! + dot(yty, a * f, v, 0, f);
  }
}

/**
 * One half-epoch: re-solves every row of `x` against the fixed `y`, warm-starting CG from the current row.
 * The first pass over the row's items fuses b and A·x: r = Σᵢ (cᵢ − (cᵢ − 1)·yᵢ·x)·yᵢ − (YᵀY + λI)·x.
 */
function solveRows(
  x: Float64Array,
  y: Float64Array,
  m: CsrMatrix,
  f: number,
  lambda: number,
  alpha: number,
  cgSteps: number,
  yty: Float64Array,
  s: Scratch,
): void {
  const { r, p, ap } = s;
  const xRow = s.x;
  for (let row = 0; row < m.rows; row++) {
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
      axpy(1 + extra - extra * dot(y, base, xRow, 0, f), y, base, r, f);
    }
    let rs = dot(r, 0, r, 0, f);
    p.set(r);
    for (let step = 0; step < cgSteps && rs > 1e-20; step++) {
      gramTimes(yty, lambda, p, ap, f);
      for (let t = start; t < end; t++) {
        const base = m.indices[t]! * f;
        axpy(alpha * m.values[t]! * dot(y, base, p, 0, f), y, base, ap, f);
      }
      const stepSize = rs / dot(p, 0, ap, 0, f);
      for (let a = 0; a < f; a++) {
        xRow[a] = xRow[a]! + stepSize * p[a]!;
        r[a] = r[a]! - stepSize * ap[a]!;
      }
      const rsNew = dot(r, 0, r, 0, f);
      const beta = rsNew / rs;
      for (let a = 0; a < f; a++) {
        p[a] = r[a]! + beta * p[a]!;
      }
      rs = rsNew;
    }
    x.set(xRow, xb);
  }
}

export function trainIals(m: CsrMatrix, options: IalsOptions = {}): MfModel {
  const o = { ...IALS_DEFAULTS, ...options };
  const f = o.factors;
  const rng = mulberry32(o.seed);
  const x = Float64Array.from(randomNormalArray(rng, m.rows * f, o.initStd));
  const y = Float64Array.from(randomNormalArray(rng, m.cols * f, o.initStd));
  const mt = transposeCsr(m);
  const gramBuffer = new Float64Array(f * f);
  const scratch: Scratch = {
    r: new Float64Array(f),
    p: new Float64Array(f),
    ap: new Float64Array(f),
    x: new Float64Array(f),
  };
  for (let it = 0; it < o.iterations; it++) {
    gram(y, m.cols, f, gramBuffer);
    solveRows(x, y, m, f, o.lambda, o.alpha, o.cgSteps, gramBuffer, scratch);
    gram(x, m.rows, f, gramBuffer);
    solveRows(y, x, mt, f, o.lambda, o.alpha, o.cgSteps, gramBuffer, scratch);
  }
  return {
    users: m.rows,
    items: m.cols,
    factors: f,
    userFactors: Float32Array.from(x),
    itemFactors: Float32Array.from(y),
  };
}

/** Fills `out` (catalogue-sized) with user · item for every item. */
export function scoreMf(model: MfModel, user: number, out: Float32Array): void {
  const f = model.factors;
  const ub = user * f;
  const u = model.userFactors;
  const v = model.itemFactors;
  for (let i = 0; i < model.items; i++) {
    const ib = i * f;
    let s = 0;
    for (let a = 0; a < f; a++) {
      s += u[ub + a]! * v[ib + a]!;
    }
    out[i] = s;
  }
}

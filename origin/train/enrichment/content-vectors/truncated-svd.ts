import type { SparseRows } from "../../../../models/features/index.ts";
import { mulberry32, randomNormalArray } from "../../../../models/random.ts";
import { choleskyInPlace } from "../../linalg/cholesky.ts";
import { symmetricEigen } from "../../linalg/symmetric-eigen.ts";

export interface LsaOptions {
  /** width of the vectors (at most the number of rows and of terms) */
  dim: number;
  /** extra random directions sampled beyond `dim`, for accuracy */
  oversample: number;
  /** passes of A·Aᵀ that sharpen the spectrum before the basis is taken */
  powerIterations: number;
  seed: number;
}

export const LSA_DEFAULTS: LsaOptions = { dim: 64, oversample: 10, powerIterations: 2, seed: 1 };

/** A matrix A [rows × dim] seen only through its products with dense matrices, sparse or dense alike. */
export interface MatrixOperator {
  rows: number;
  dim: number;
  /** ‖A‖²_F */
  squaredNorm: number;
  /** A·M for M [dim × l] row-major: [rows × l] */
  times(m: Float64Array, l: number): Float64Array;
  /** Aᵀ·M for M [rows × l]: [dim × l] */
  transposeTimes(m: Float64Array, l: number): Float64Array;
}

export interface LsaVectors {
  /** [rows × dim]: each row's coordinates on the top singular directions, A·V = U·Σ */
  vectors: Float32Array;
  dim: number;
  /** share of ‖A‖²_F the `dim` directions keep */
  explained: number;
}

/**
 * Latent semantic analysis of TF-IDF rows: their best rank-k approximation by a randomized SVD, so each
 * item's text becomes a dense vector whose dot products approximate the TF-IDF cosines, with co-occurring
 * terms folded together.
 */
export function lsaVectors(rows: SparseRows, options: Partial<LsaOptions> = {}): LsaVectors {
  // no text at all: no part, rather than a block of zeros
  return rows.indices.length === 0
    ? { vectors: new Float32Array(0), dim: 0, explained: 0 }
    : truncatedSvd(sparseOperator(rows), options);
}

/**
 * Each row's coordinates on A's top k right singular directions, A·V_k = U_k·Σ_k, by a randomized SVD
 * (Halko, Martinsson & Tropp 2011): dot products between rows are kept as well as any k-wide vectors can
 * keep them. Costs a few products of A with (k + oversample) columns and eigendecompositions of that
 * size: linear in the rows and non-zeros. Deterministic for a seed.
 */
export function truncatedSvd(a: MatrixOperator, options: Partial<LsaOptions> = {}): LsaVectors {
  const o = { ...LSA_DEFAULTS, ...options };
  const n = a.rows;
  const k = a.squaredNorm === 0 ? 0 : Math.max(0, Math.min(o.dim, n, a.dim));
  if (k === 0) {
    return { vectors: new Float32Array(0), dim: 0, explained: 0 };
  }
  const l = Math.min(k + o.oversample, n, a.dim);
  const rng = mulberry32(o.seed);
  let y = a.times(Float64Array.from(randomNormalArray(rng, a.dim * l)), l);
  for (let q = 0; q < o.powerIterations; q++) {
    orthonormalizeColumns(y, n, l);
    const z = a.transposeTimes(y, l);
    orthonormalizeColumns(z, a.dim, l);
    y = a.times(z, l);
  }
  orthonormalizeColumns(y, n, l);
  // B = Qᵀ·A, held as Bᵀ; B·Bᵀ's eigenvectors U and values σ² give A ≈ Q·U·Σ·Vᵀ
  const bt = a.transposeTimes(y, l);
  const eigen = symmetricEigen(gram(bt, a.dim, l), l);
  const vectors = new Float32Array(n * k);
  for (let r = 0; r < n; r++) {
    for (let j = 0; j < k; j++) {
      const sigma = Math.sqrt(Math.max(0, eigen.values[j]!));
      let s = 0;
      for (let c = 0; c < l; c++) {
        s += y[r * l + c]! * eigen.vectors[c * l + j]!;
      }
      vectors[r * k + j] = s * sigma;
    }
  }
  let kept = 0;
  for (let j = 0; j < k; j++) {
    kept += Math.max(0, eigen.values[j]!);
  }
  return { vectors, dim: k, explained: Math.min(1, kept / a.squaredNorm) };
}

/** Calls `visit` with each stored entry (row, column, value) of a matrix. */
type EachEntry = (visit: (row: number, col: number, value: number) => void) => void;

function entryOperator(rows: number, dim: number, each: EachEntry): MatrixOperator {
  let squaredNorm = 0;
  each((_row, _col, v) => {
    squaredNorm += v * v;
  });
  // out[to..to+l) += v · m[from..from+l)
  const addScaled = (out: Float64Array, to: number, m: Float64Array, from: number, v: number, l: number) => {
    for (let c = 0; c < l; c++) {
      out[to + c]! += v * m[from + c]!;
    }
  };
  return {
    rows,
    dim,
    squaredNorm,
    times: (m, l) => {
      const out = new Float64Array(rows * l);
      each((r, d, v) => addScaled(out, r * l, m, d * l, v, l));
      return out;
    },
    transposeTimes: (m, l) => {
      const out = new Float64Array(dim * l);
      each((r, d, v) => addScaled(out, d * l, m, r * l, v, l));
      return out;
    },
  };
}

/** Sparse rows as a MatrixOperator. */
export function sparseOperator(a: SparseRows): MatrixOperator {
  return entryOperator(a.rows, a.dim, (visit) => {
    for (let r = 0; r < a.rows; r++) {
      for (let t = a.offsets[r]!; t < a.offsets[r + 1]!; t++) {
        visit(r, a.indices[t]!, a.values[t]!);
      }
    }
  });
}

/** Dense rows [rows × dim] as a MatrixOperator (zeros skipped). */
export function denseOperator(vectors: Float32Array, rows: number, dim: number): MatrixOperator {
  return entryOperator(rows, dim, (visit) => {
    for (let r = 0; r < rows; r++) {
      for (let d = 0; d < dim; d++) {
        const v = vectors[r * dim + d]!;
        if (v !== 0) {
          visit(r, d, v);
        }
      }
    }
  });
}

/** Mᵀ·M for dense M [n × l]: [l × l]. */
function gram(m: Float64Array, n: number, l: number): Float64Array {
  const g = new Float64Array(l * l);
  for (let r = 0; r < n; r++) {
    const row = r * l;
    for (let i = 0; i < l; i++) {
      const mi = m[row + i]!;
      if (mi === 0) {
        continue;
      }
      for (let j = i; j < l; j++) {
        g[i * l + j]! += mi * m[row + j]!;
      }
    }
  }
  for (let i = 0; i < l; i++) {
    for (let j = 0; j < i; j++) {
      g[i * l + j] = g[j * l + i]!;
    }
  }
  return g;
}

/**
 * Makes M's l columns orthonormal in place, M ← M·R⁻¹ with Mᵀ·M = Rᵀ·R, done twice (CholeskyQR2) since
 * one pass loses orthogonality as the columns' conditioning worsens. A tiny diagonal shift keeps a
 * rank-deficient M (fewer distinct rows than columns) factorable; its spare columns come out near zero.
 */
function orthonormalizeColumns(m: Float64Array, n: number, l: number): void {
  for (let pass = 0; pass < 2; pass++) {
    const g = gram(m, n, l);
    let trace = 0;
    for (let i = 0; i < l; i++) {
      trace += g[i * l + i]!;
    }
    const shift = 1e-12 * trace + Number.MIN_VALUE;
    for (let i = 0; i < l; i++) {
      g[i * l + i]! += shift;
    }
    choleskyInPlace(g, l);
    // each row x of M becomes L⁻¹·x (forward substitution with the lower factor)
    for (let r = 0; r < n; r++) {
      const row = r * l;
      for (let i = 0; i < l; i++) {
        let s = m[row + i]!;
        for (let j = 0; j < i; j++) {
          s -= g[i * l + j]! * m[row + j]!;
        }
        m[row + i] = s / g[i * l + i]!;
      }
    }
  }
}

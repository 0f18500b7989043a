/**
 * EASE as user · item vectors, so the edge's int8 dot-product kernel can serve it. EASE scores a user as
 * s = x·B (x: the user's binary history over the head items, B: the h × h item weights), which is already a
 * dot product, but of h-wide vectors (h up to 2,000): too wide for the catalogue. So B is replaced by its
 * best rank-r approximation in the column space found by subspace iteration, B ≈ Q·(QᵀB) with Q (h × r)
 * orthonormal: a user's vector is x·Q (r values), an item's is its column of QᵀB. Items outside the head
 * get a zero vector (EASE cannot score them) and users with no head item no vector (the edge answers them
 * from popularity). What is evaluated, tuned and gated is this factorised model, the one served.
 */
import { mulberry32, randomNormalArray } from "../../../models/random.ts";
import type { CsrMatrix } from "./csr.ts";
import type { EaseModel } from "./ease.ts";
import type { MfModel } from "./ials.ts";

export const EASE_FACTOR_DEFAULTS = { rank: 64, powerIterations: 3, seed: 1 } as const;

/** out (h × r) = W (h × h, row-major) · M (h × r). */
function times(w: Float32Array, h: number, m: Float64Array, r: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < h; i++) {
    const row = i * h;
    const o = i * r;
    for (let j = 0; j < h; j++) {
      const wij = w[row + j]!;
      if (wij === 0) {
        continue;
      }
      const mj = j * r;
      for (let c = 0; c < r; c++) {
        out[o + c]! += wij * m[mj + c]!;
      }
    }
  }
}

/** out (h × r) = Wᵀ · M. */
function timesTransposed(w: Float32Array, h: number, m: Float64Array, r: number, out: Float64Array): void {
  out.fill(0);
  for (let i = 0; i < h; i++) {
    const row = i * h;
    const mi = i * r;
    for (let j = 0; j < h; j++) {
      const wij = w[row + j]!;
      if (wij === 0) {
        continue;
      }
      const o = j * r;
      for (let c = 0; c < r; c++) {
        out[o + c]! += wij * m[mi + c]!;
      }
    }
  }
}

/** Orthonormalises the r columns of the h × r matrix in place (modified Gram–Schmidt, twice for stability). */
function orthonormalise(m: Float64Array, h: number, r: number): void {
  for (let pass = 0; pass < 2; pass++) {
    for (let c = 0; c < r; c++) {
      for (let p = 0; p < c; p++) {
        let dot = 0;
        for (let i = 0; i < h; i++) {
          dot += m[i * r + c]! * m[i * r + p]!;
        }
        for (let i = 0; i < h; i++) {
          m[i * r + c]! -= dot * m[i * r + p]!;
        }
      }
      let norm = 0;
      for (let i = 0; i < h; i++) {
        norm += m[i * r + c]! ** 2;
      }
      const scale = norm > 1e-300 ? 1 / Math.sqrt(norm) : 0;
      for (let i = 0; i < h; i++) {
        m[i * r + c]! *= scale;
      }
    }
  }
}

/**
 * EASE's factorised form over the users of `history`: an MfModel whose user rows are x·Q (all zero for a
 * user with no head item) and whose item rows are QᵀB's columns (zero outside the head).
 */
export function factoriseEase(
  ease: EaseModel,
  history: CsrMatrix,
  options: { rank?: number; powerIterations?: number; seed?: number } = {},
): MfModel {
  const o = { ...EASE_FACTOR_DEFAULTS, ...options };
  const h = ease.items.length;
  const r = Math.max(1, Math.min(o.rank, h));
  const q = Float64Array.from(randomNormalArray(mulberry32(o.seed), h * r, 1));
  const scratch = new Float64Array(h * r);
  times(ease.weights, h, q, r, scratch);
  q.set(scratch);
  orthonormalise(q, h, r);
  for (let it = 0; it < o.powerIterations; it++) {
    timesTransposed(ease.weights, h, q, r, scratch);
    orthonormalise(scratch, h, r);
    times(ease.weights, h, scratch, r, q);
    orthonormalise(q, h, r);
  }
  // Item rows: (QᵀB)ᵀ = BᵀQ, one r-vector per head item.
  timesTransposed(ease.weights, h, q, r, scratch);
  const itemFactors = new Float32Array(ease.catalogSize * r);
  for (let p = 0; p < h; p++) {
    const item = ease.items[p]!;
    for (let c = 0; c < r; c++) {
      itemFactors[item * r + c] = scratch[p * r + c]!;
    }
  }
  const userFactors = new Float32Array(history.rows * r);
  const acc = new Float64Array(r);
  for (let u = 0; u < history.rows; u++) {
    acc.fill(0);
    for (let t = history.offsets[u]!; t < history.offsets[u + 1]!; t++) {
      const p = ease.position[history.indices[t]!]!;
      if (p >= 0) {
        for (let c = 0; c < r; c++) {
          acc[c]! += q[p * r + c]!;
        }
      }
    }
    for (let c = 0; c < r; c++) {
      userFactors[u * r + c] = acc[c]!;
    }
  }
  return { users: history.rows, items: ease.catalogSize, factors: r, userFactors, itemFactors };
}

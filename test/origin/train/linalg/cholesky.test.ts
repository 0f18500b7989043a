import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../../models/random.ts";
import { choleskyInPlace, choleskySolveInPlace } from "../../../../origin/train/linalg/cholesky.ts";
import { spdInverseInPlace } from "../../../../origin/train/linalg/spd-inverse.ts";

/** A = MᵀM + n·I for a random M: symmetric positive definite and well conditioned. */
function randomSpd(n: number, seed: number): Float64Array {
  const rng = mulberry32(seed);
  const m = new Float64Array(n * n);
  for (let t = 0; t < m.length; t++) {
    m[t] = rng() * 2 - 1;
  }
  const a = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < n; j++) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        s += m[k * n + i]! * m[k * n + j]!;
      }
      a[i * n + j] = s + (i === j ? n : 0);
    }
  }
  return a;
}

describe("blocked Cholesky", () => {
  // n = 77 with blocks of 16 exercises full panels, a ragged last panel and the odd-length loop tails.
  const n = 77;
  const a = randomSpd(n, 11);

  it("factors A into L·Lᵀ with L lower triangular", () => {
    const l = a.slice();
    choleskyInPlace(l, n, { blockSize: 16 });
    let maxError = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        let s = 0;
        for (let k = 0; k <= j; k++) {
          s += l[i * n + k]! * l[j * n + k]!;
        }
        maxError = Math.max(maxError, Math.abs(s - a[i * n + j]!));
      }
    }
    expect(maxError).toBeLessThan(1e-9);
  });

  it("gives the same factor whatever the block size", () => {
    const small = a.slice();
    const large = a.slice();
    choleskyInPlace(small, n, { blockSize: 5 });
    choleskyInPlace(large, n, { blockSize: 200 });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j <= i; j++) {
        expect(small[i * n + j]).toBeCloseTo(large[i * n + j]!, 10);
      }
    }
  });

  it("solves A·x = b: the residual of the returned x is at rounding level", () => {
    const l = a.slice();
    choleskyInPlace(l, n, { blockSize: 16 });
    const rng = mulberry32(5);
    const b = Float64Array.from({ length: n }, () => rng() * 10 - 5);
    const x = b.slice();
    choleskySolveInPlace(l, n, x);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < n; k++) {
        s += a[i * n + k]! * x[k]!;
      }
      expect(s).toBeCloseTo(b[i]!, 9);
    }
  });

  it("rejects a matrix that is not positive definite", () => {
    // [[1, 2], [2, 1]] has eigenvalues 3 and -1
    expect(() => choleskyInPlace(Float64Array.of(1, 2, 2, 1), 2)).toThrow(/not positive definite/);
  });

  it("inverts an SPD matrix: A·A⁻¹ = I and the inverse is symmetric", () => {
    const inv = a.slice();
    spdInverseInPlace(inv, n, { blockSize: 16 });
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        let s = 0;
        for (let k = 0; k < n; k++) {
          s += a[i * n + k]! * inv[k * n + j]!;
        }
        expect(s).toBeCloseTo(i === j ? 1 : 0, 10);
        expect(inv[i * n + j]).toBe(inv[j * n + i]);
      }
    }
  });
});

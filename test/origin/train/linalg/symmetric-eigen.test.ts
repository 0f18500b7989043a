import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../../models/random.ts";
import { symmetricEigen } from "../../../../origin/train/linalg/symmetric-eigen.ts";

describe("symmetricEigen", () => {
  it("returns orthonormal eigenvectors with A·v = λ·v, largest eigenvalue first", () => {
    const n = 12;
    const rng = mulberry32(3);
    const a = new Float64Array(n * n);
    for (let i = 0; i < n; i++) {
      for (let j = i; j < n; j++) {
        a[i * n + j] = a[j * n + i] = rng() - 0.5;
      }
    }
    const { values, vectors } = symmetricEigen(a, n);
    for (let j = 1; j < n; j++) {
      expect(values[j - 1]!).toBeGreaterThanOrEqual(values[j]!);
    }
    for (let j = 0; j < n; j++) {
      for (let i = 0; i < n; i++) {
        let av = 0;
        for (let k = 0; k < n; k++) {
          av += a[i * n + k]! * vectors[k * n + j]!;
        }
        expect(av).toBeCloseTo(values[j]! * vectors[i * n + j]!, 10);
      }
      for (let m = 0; m < n; m++) {
        let dot = 0;
        for (let i = 0; i < n; i++) {
          dot += vectors[i * n + j]! * vectors[i * n + m]!;
        }
        expect(dot).toBeCloseTo(j === m ? 1 : 0, 10);
      }
    }
  });
});

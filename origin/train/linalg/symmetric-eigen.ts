/**
 * Eigenvalues and eigenvectors of a small dense symmetric matrix (n up to a few hundred), by cyclic Jacobi
 * rotations: slow per element but simple, accurate to float64 precision, and deterministic. Row-major.
 */
export interface SymmetricEigen {
  /** eigenvalues, largest first */
  values: Float64Array;
  /** [n × n], column j (vectors[i * n + j] over i) the unit eigenvector of values[j] */
  vectors: Float64Array;
}

const MAX_SWEEPS = 60;

export function symmetricEigen(matrix: Float64Array, n: number): SymmetricEigen {
  if (matrix.length !== n * n) {
    throw new RangeError(`symmetricEigen: ${matrix.length} values for a ${n}×${n} matrix`);
  }
  const a = Float64Array.from(matrix);
  const v = new Float64Array(n * n);
  for (let i = 0; i < n; i++) {
    v[i * n + i] = 1;
  }
  let scale = 0;
  for (const x of a) {
    scale += x * x;
  }
  const tolerance = 1e-22 * Math.max(scale, Number.MIN_VALUE);
  for (let sweep = 0; sweep < MAX_SWEEPS; sweep++) {
    let off = 0;
    for (let p = 0; p < n; p++) {
      for (let q = p + 1; q < n; q++) {
        off += a[p * n + q]! ** 2;
      }
    }
    if (off <= tolerance) {
      break;
    }
    for (let p = 0; p < n - 1; p++) {
      for (let q = p + 1; q < n; q++) {
        const apq = a[p * n + q]!;
        if (apq === 0) {
          continue;
        }
        // the rotation that zeroes a[p][q] (Golub & Van Loan, symmetric Schur decomposition)
        const theta = (a[q * n + q]! - a[p * n + p]!) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < n; k++) {
          const akp = a[k * n + p]!;
          const akq = a[k * n + q]!;
          a[k * n + p] = c * akp - s * akq;
          a[k * n + q] = s * akp + c * akq;
        }
        for (let k = 0; k < n; k++) {
          const apk = a[p * n + k]!;
          const aqk = a[q * n + k]!;
          a[p * n + k] = c * apk - s * aqk;
          a[q * n + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < n; k++) {
          const vkp = v[k * n + p]!;
          const vkq = v[k * n + q]!;
          v[k * n + p] = c * vkp - s * vkq;
          v[k * n + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const order = Array.from({ length: n }, (_, i) => i).sort((i, j) => a[j * n + j]! - a[i * n + i]! || i - j);
  const values = Float64Array.from(order, (i) => a[i * n + i]!);
  const vectors = new Float64Array(n * n);
  order.forEach((from, to) => {
    for (let k = 0; k < n; k++) {
      vectors[k * n + to] = v[k * n + from]!;
    }
  });
  return { values, vectors };
}

import type { Rng } from "../../../models/random.ts";
import type { CsrMatrix } from "./csr.ts";

export interface InteractionSplit {
  train: CsrMatrix;
  test: CsrMatrix;
}

/**
 * Per-user random holdout: each user's distinct items are shuffled and round(testFraction · n) of them go to
 * the test matrix, always leaving at least one in train (a user with a single item keeps it in train). Used
 * for the outer train/test split and again, on the training part only, for the inner validation split that
 * hyper-parameters are chosen on.
 */
export function splitPerUser(m: CsrMatrix, testFraction: number, rng: Rng): InteractionSplit {
  if (!(testFraction > 0 && testFraction < 1)) {
    throw new RangeError(`splitPerUser: testFraction must be in (0, 1), got ${testFraction}`);
  }
  const trainOffsets = new Int32Array(m.rows + 1);
  const testOffsets = new Int32Array(m.rows + 1);
  const trainIdx = new Int32Array(m.indices.length);
  const trainVal = new Float32Array(m.indices.length);
  const testIdx = new Int32Array(m.indices.length);
  const testVal = new Float32Array(m.indices.length);
  const isTest = new Uint8Array(m.indices.length);
  let perm = new Int32Array(16);
  let nTrain = 0;
  let nTest = 0;
  for (let u = 0; u < m.rows; u++) {
    const start = m.offsets[u]!;
    const len = m.offsets[u + 1]! - start;
    const testCount = len <= 1 ? 0 : Math.min(len - 1, Math.round(testFraction * len));
    if (perm.length < len) {
      perm = new Int32Array(len * 2);
    }
    for (let t = 0; t < len; t++) {
      perm[t] = t;
    }
    // Partial Fisher–Yates: the first testCount positions become a uniform random subset.
    for (let t = 0; t < testCount; t++) {
      const j = t + Math.floor(rng() * (len - t));
      const tmp = perm[t]!;
      perm[t] = perm[j]!;
      perm[j] = tmp;
      isTest[start + perm[t]!] = 1;
    }
    // Walk in index order so both halves stay sorted.
    for (let t = start; t < start + len; t++) {
      if (isTest[t]) {
        testIdx[nTest] = m.indices[t]!;
        testVal[nTest++] = m.values[t]!;
      } else {
        trainIdx[nTrain] = m.indices[t]!;
        trainVal[nTrain++] = m.values[t]!;
      }
    }
    trainOffsets[u + 1] = nTrain;
    testOffsets[u + 1] = nTest;
  }
  return {
    train: {
      rows: m.rows,
      cols: m.cols,
      offsets: trainOffsets,
      indices: trainIdx.slice(0, nTrain),
      values: trainVal.slice(0, nTrain),
    },
    test: {
      rows: m.rows,
      cols: m.cols,
      offsets: testOffsets,
      indices: testIdx.slice(0, nTest),
      values: testVal.slice(0, nTest),
    },
  };
}

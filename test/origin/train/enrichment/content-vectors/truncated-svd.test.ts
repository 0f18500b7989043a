import { describe, expect, it } from "vitest";
import type { SparseRows } from "../../../../../models/features/index.ts";
import { mulberry32 } from "../../../../../models/random.ts";
import { lsaVectors } from "../../../../../origin/train/enrichment/content-vectors/truncated-svd.ts";

/** Rows drawn from `topics` sparse term profiles, so the matrix has rank `topics`. */
function topicRows(rows: number, terms: number, topics: number, seed: number): SparseRows {
  const rng = mulberry32(seed);
  const profiles = Array.from({ length: topics }, () =>
    Array.from({ length: 6 }, () => [Math.floor(rng() * terms), 0.2 + rng()] as const),
  );
  const offsets = new Int32Array(rows + 1);
  const indices: number[] = [];
  const values: number[] = [];
  for (let r = 0; r < rows; r++) {
    const weights = new Map<number, number>();
    const topic = r % topics;
    const scale = 0.5 + rng();
    for (const [term, w] of profiles[topic]!) {
      weights.set(term, (weights.get(term) ?? 0) + scale * w);
    }
    for (const term of [...weights.keys()].sort((a, b) => a - b)) {
      indices.push(term);
      values.push(weights.get(term)!);
    }
    offsets[r + 1] = indices.length;
  }
  return { rows, dim: terms, offsets, indices: Int32Array.from(indices), values: Float32Array.from(values) };
}

function sparseDot(a: SparseRows, i: number, j: number): number {
  let s = 0;
  for (let t = a.offsets[i]!; t < a.offsets[i + 1]!; t++) {
    for (let u = a.offsets[j]!; u < a.offsets[j + 1]!; u++) {
      if (a.indices[t] === a.indices[u]) {
        s += a.values[t]! * a.values[u]!;
      }
    }
  }
  return s;
}

describe("lsaVectors", () => {
  it("keeps every dot product of a matrix whose rank fits in the width", () => {
    const rows = topicRows(300, 500, 5, 7);
    const lsa = lsaVectors(rows, { dim: 8, seed: 2 });
    expect(lsa.dim).toBe(8);
    expect(lsa.explained).toBeGreaterThan(0.999);
    for (const [i, j] of [
      [0, 5],
      [0, 1],
      [17, 42],
      [299, 3],
    ] as const) {
      let dot = 0;
      for (let d = 0; d < lsa.dim; d++) {
        dot += lsa.vectors[i * lsa.dim + d]! * lsa.vectors[j * lsa.dim + d]!;
      }
      expect(dot).toBeCloseTo(sparseDot(rows, i, j), 4);
    }
  });

  it("is deterministic for a seed and narrows to the rows or terms there are", () => {
    const rows = topicRows(40, 30, 12, 9);
    expect(lsaVectors(rows, { dim: 6, seed: 4 }).vectors).toEqual(
      lsaVectors(rows, { dim: 6, seed: 4 }).vectors,
    );
    expect(lsaVectors(topicRows(5, 30, 3, 1), { dim: 64 }).dim).toBe(5);
    const empty: SparseRows = {
      rows: 3,
      dim: 10,
      offsets: new Int32Array(4),
      indices: new Int32Array(0),
      values: new Float32Array(0),
    };
    expect(lsaVectors(empty, { dim: 4 })).toMatchObject({ dim: 0, vectors: new Float32Array(0) });
  });
});

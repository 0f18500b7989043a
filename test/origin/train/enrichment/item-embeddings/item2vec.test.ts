import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../../../models/random.ts";
import {
  sequencesByUser,
  trainItem2vec,
} from "../../../../../origin/train/enrichment/item-embeddings/index.ts";

/** 120 users, each browsing 15 items of one of two item groups (0–9 and 10–19); item 20 is never seen. */
function twoGroupSequences() {
  const rng = mulberry32(4);
  const user: number[] = [];
  const item: number[] = [];
  const time: number[] = [];
  for (let u = 0; u < 120; u++) {
    const group = u % 2;
    for (let t = 0; t < 15; t++) {
      user.push(u);
      item.push(group * 10 + Math.floor(rng() * 10));
      time.push(t);
    }
  }
  return sequencesByUser(120, user, item, time);
}

function cosine(v: Float32Array, dim: number, a: number, b: number): number {
  let dot = 0;
  let na = 0;
  let nb = 0;
  for (let d = 0; d < dim; d++) {
    dot += v[a * dim + d]! * v[b * dim + d]!;
    na += v[a * dim + d]! ** 2;
    nb += v[b * dim + d]! ** 2;
  }
  return dot / Math.sqrt(na * nb);
}

describe("item2vec", () => {
  it("orders each user's items by time, ties by event order", () => {
    const sequences = sequencesByUser(2, [1, 0, 1, 0, 1], [10, 20, 11, 21, 12], [5, 2, 1, 1, 5]);
    expect(Array.from(sequences.offsets)).toEqual([0, 2, 5]);
    expect(Array.from(sequences.items)).toEqual([21, 20, 11, 10, 12]);
  });

  it("puts items browsed together close and items of the other group far, and is seeded", () => {
    const dim = 16;
    const sequences = twoGroupSequences();
    // no subsampling: in a 20-item catalogue every item is "frequent" and would mostly be dropped
    const options = { dim, epochs: 5, seed: 3, subsample: 1 };
    const vectors = trainItem2vec(sequences, 21, options);
    let within = 0;
    let across = 0;
    let nWithin = 0;
    let nAcross = 0;
    for (let a = 0; a < 20; a++) {
      for (let b = a + 1; b < 20; b++) {
        const c = cosine(vectors, dim, a, b);
        if (Math.floor(a / 10) === Math.floor(b / 10)) {
          within += c;
          nWithin++;
        } else {
          across += c;
          nAcross++;
        }
      }
    }
    expect(within / nWithin).toBeGreaterThan(across / nAcross + 0.5);
    expect(Array.from(vectors.subarray(20 * dim)).every((v) => v === 0)).toBe(true);
    expect(Array.from(trainItem2vec(sequences, 21, options))).toEqual(Array.from(vectors));
  });
});

/** iALS shared across worker threads gives the same factors, byte for byte, as one thread. */
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../../models/random.ts";
import { GRAM_BLOCK_ROWS } from "../../../../origin/train/recs/ials-kernels.ts";
import { buildCsr, trainIals } from "../../../../origin/train/recs/index.ts";

/** Users in two taste groups over `items`, with uneven row lengths (some users have many items). */
function interactions(users: number, items: number, seed: number) {
  const rng = mulberry32(seed);
  const user: number[] = [];
  const item: number[] = [];
  const value: number[] = [];
  for (let u = 0; u < users; u++) {
    const n = 2 + Math.floor(rng() ** 3 * 60);
    const group = u % 2;
    for (let t = 0; t < n; t++) {
      user.push(u);
      item.push(Math.floor(rng() * (items / 2)) * 2 + group);
      value.push(1 + Math.floor(rng() * 4));
    }
  }
  return buildCsr({
    users,
    items,
    user: Int32Array.from(user),
    item: Int32Array.from(item),
    value: Float32Array.from(value),
  });
}

const bytes = (a: Float32Array) => Buffer.from(a.buffer, a.byteOffset, a.byteLength);

describe("parallel iALS", () => {
  it("gives identical factors with 1, 2 and 3 threads for a seed", () => {
    // More users than one Gram block, so the blocks are shared out differently per thread count.
    const m = interactions(GRAM_BLOCK_ROWS + 500, 300, 4);
    const options = { factors: 12, lambda: 2, alpha: 5, iterations: 3, seed: 7 };
    const one = trainIals(m, { ...options, threads: 1 });
    const two = trainIals(m, { ...options, threads: 2 });
    const three = trainIals(m, { ...options, threads: 3 });
    expect(bytes(two.userFactors).equals(bytes(one.userFactors))).toBe(true);
    expect(bytes(two.itemFactors).equals(bytes(one.itemFactors))).toBe(true);
    expect(bytes(three.userFactors).equals(bytes(one.userFactors))).toBe(true);
    expect(bytes(three.itemFactors).equals(bytes(one.itemFactors))).toBe(true);
    // And it learned something: a different seed gives different factors.
    const other = trainIals(m, { ...options, seed: 8, threads: 2 });
    expect(bytes(other.itemFactors).equals(bytes(one.itemFactors))).toBe(false);
  });
});

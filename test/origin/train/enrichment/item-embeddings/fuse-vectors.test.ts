import { describe, expect, it } from "vitest";
import { fuseVectors } from "../../../../../origin/train/enrichment/item-embeddings/index.ts";

describe("fused content vectors", () => {
  it("makes the dot product of two fused rows the weighted sum of the parts' cosines", () => {
    // two rows; part a is 2-d, part b is 3-d
    const a = Float32Array.of(3, 4, 1, 0);
    const b = Float32Array.of(1, 0, 0, 2, 2, 1);
    const fused = fuseVectors(
      [
        { name: "text", vectors: a, dim: 2, weight: 0.7 },
        { name: "image", vectors: b, dim: 3, weight: 0.3 },
      ],
      2,
    );
    expect(fused.dim).toBe(5);
    expect(fused.parts).toEqual([
      { name: "text", dim: 2, weight: 0.7 },
      { name: "image", dim: 3, weight: 0.3 },
    ]);
    const row = (r: number) => fused.vectors.subarray(r * 5, (r + 1) * 5);
    const dot = row(0).reduce((s, v, i) => s + v * row(1)[i]!, 0);
    const cosText = 3 / 5;
    const cosImage = 2 / 3;
    expect(dot).toBeCloseTo(0.7 * cosText + 0.3 * cosImage, 6);
    expect(Math.hypot(...row(0))).toBeCloseTo(1, 6);
  });

  it("leaves a missing part zero and refuses mismatched shapes or weights", () => {
    const fused = fuseVectors(
      [
        { name: "text", vectors: Float32Array.of(1, 1), dim: 1, weight: 0.5 },
        { name: "image", vectors: Float32Array.of(0, 0, 2, 0), dim: 2, weight: 0.5 },
      ],
      2,
    );
    expect(fused.vectors[0]).toBeCloseTo(Math.sqrt(0.5), 6);
    expect(Array.from(fused.vectors.subarray(1, 3))).toEqual([0, 0]);
    expect(() => fuseVectors([{ name: "x", vectors: new Float32Array(3), dim: 2, weight: 1 }], 2)).toThrow(
      /3 values/,
    );
    expect(() => fuseVectors([{ name: "x", vectors: new Float32Array(2), dim: 1, weight: -1 }], 2)).toThrow(
      /weight/,
    );
  });
});

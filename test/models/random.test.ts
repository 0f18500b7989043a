import { describe, expect, it } from "vitest";
import { mulberry32, randomIndexArray, randomNormalArray, randomUniformArray } from "../../models/random.ts";

describe("mulberry32", () => {
  it("repeats the same sequence for the same seed", () => {
    const a = mulberry32(123);
    const b = mulberry32(123);
    expect(Array.from({ length: 100 }, a)).toEqual(Array.from({ length: 100 }, b));
  });

  it("gives different sequences for different seeds", () => {
    const a = Array.from({ length: 10 }, mulberry32(1));
    const b = Array.from({ length: 10 }, mulberry32(2));
    expect(a).not.toEqual(b);
  });

  it("stays in [0, 1) with a mean near 1/2", () => {
    const rng = mulberry32(9);
    const values = Array.from({ length: 20_000 }, rng);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...values)).toBeLessThan(1);
    expect(values.reduce((s, v) => s + v, 0) / values.length).toBeCloseTo(0.5, 1);
  });
});

describe("random arrays", () => {
  it("draws uniform values inside the requested range", () => {
    const values = randomUniformArray(mulberry32(3), 1000, -2, 5);
    expect(Math.min(...values)).toBeGreaterThanOrEqual(-2);
    expect(Math.max(...values)).toBeLessThan(5);
  });

  it("draws normal values with the requested spread, odd lengths included", () => {
    const values = randomNormalArray(mulberry32(4), 20_001, 0.5);
    const mean = values.reduce((s, v) => s + v, 0) / values.length;
    const std = Math.sqrt(values.reduce((s, v) => s + (v - mean) ** 2, 0) / values.length);
    expect(values.every(Number.isFinite)).toBe(true);
    expect(mean).toBeCloseTo(0, 1);
    expect(std).toBeCloseTo(0.5, 1);
  });

  it("draws int64 indices in [0, max)", () => {
    const ids = randomIndexArray(mulberry32(5), 500, 7);
    expect(ids.every((id) => id >= 0n && id < 7n)).toBe(true);
    expect(new Set(ids).size).toBe(7);
  });
});

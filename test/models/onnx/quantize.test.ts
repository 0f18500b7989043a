import { describe, expect, it } from "vitest";
import {
  dequantizePerColumn,
  dequantizePerRow,
  dequantizePerTensor,
  INT8_MAX,
  quantizePerColumn,
  quantizePerRow,
  quantizePerTensor,
} from "../../../models/onnx/index.ts";
import { mulberry32, randomNormalArray } from "../../../models/random.ts";

const ROWS = 40;
const COLS = 9;

/** Columns whose ranges differ by up to 30×, so a wrong scale axis shows. */
function spreadColumns(seed: number): Float32Array {
  const w = randomNormalArray(mulberry32(seed), ROWS * COLS);
  for (let i = 0; i < w.length; i++) {
    w[i]! *= 0.1 * ((i % COLS) + 1) ** 1.5;
  }
  return w;
}

/**
 * Round trip within s/2 per value. The only slack is the float32 rounding of the product q·s, at most half
 * an ulp of |q·s| ≤ 2⁻²⁴·|w| (relative), which we allow on top.
 */
function expectWithinHalfStep(
  original: Float32Array,
  restored: Float32Array,
  scaleOf: (i: number) => number,
) {
  const bad: number[] = [];
  for (let i = 0; i < original.length; i++) {
    const allowed = scaleOf(i) / 2 + Math.abs(original[i]!) * 2 ** -23;
    if (!(Math.abs(original[i]! - restored[i]!) <= allowed)) {
      bad.push(i);
    }
  }
  expect(bad).toEqual([]);
}

describe("per-column quantization (MatMul weights)", () => {
  const w = spreadColumns(1);
  const q = quantizePerColumn(w, ROWS, COLS);

  it("gives each column the scale max|column| / 127 so its largest weight maps to ±127", () => {
    for (let c = 0; c < COLS; c++) {
      let maxAbs = 0;
      let maxQ = 0;
      for (let r = 0; r < ROWS; r++) {
        maxAbs = Math.max(maxAbs, Math.abs(w[r * COLS + c]!));
        maxQ = Math.max(maxQ, Math.abs(q.data[r * COLS + c]!));
      }
      expect(q.scales[c]).toBeCloseTo(maxAbs / INT8_MAX, 6);
      expect(maxQ).toBe(INT8_MAX);
    }
  });

  it("round-trips every weight within half its column's scale", () => {
    expectWithinHalfStep(w, dequantizePerColumn(q, ROWS, COLS), (i) => q.scales[i % COLS]!);
  });

  it("never uses -128, keeping the grid symmetric", () => {
    expect(q.data.every((v) => v >= -INT8_MAX)).toBe(true);
  });

  it("maps an all-zero column to zeros with a usable scale", () => {
    const zeros = new Float32Array(ROWS * COLS);
    const qz = quantizePerColumn(zeros, ROWS, COLS);
    expect(qz.scales.every((s) => s > 0)).toBe(true);
    expect(dequantizePerColumn(qz, ROWS, COLS).every((v) => v === 0)).toBe(true);
  });

  it("rejects a weight array whose length does not match rows × cols", () => {
    expect(() => quantizePerColumn(new Float32Array(10), 3, 4)).toThrow(RangeError);
  });
});

describe("per-tensor and per-row quantization (embedding tables)", () => {
  const table = spreadColumns(2);

  it("round-trips a table within half the shared scale", () => {
    const q = quantizePerTensor(table);
    expectWithinHalfStep(table, dequantizePerTensor(q), () => q.scale);
  });

  it("round-trips a table within half each row's own scale", () => {
    const q = quantizePerRow(table, ROWS, COLS);
    expectWithinHalfStep(table, dequantizePerRow(q, ROWS, COLS), (i) => q.scales[Math.floor(i / COLS)]!);
  });

  it("gives rows with small values a finer step than the shared scale", () => {
    const skewed = Float32Array.from(table, (v, i) => (Math.floor(i / COLS) === 0 ? v * 0.01 : v));
    const perRow = quantizePerRow(skewed, ROWS, COLS);
    expect(perRow.scales[0]).toBeLessThan(quantizePerTensor(skewed).scale / 10);
  });
});

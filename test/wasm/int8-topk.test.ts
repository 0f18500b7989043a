import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { beforeAll, describe, expect, it } from "vitest";
import { quantizePerTensor } from "../../models/onnx/quantize.ts";
import { mulberry32, type Rng, randomNormalArray } from "../../models/random.ts";
import { createInt8TopK, type Int8TopK, type TopKResult } from "../../wasm/int8-topk.ts";
import { type Int8ItemTable, scoreAllReference, topKReference } from "../../wasm/int8-topk-reference.ts";
import { quantizeUserVector } from "../../wasm/quantize-user-vector.ts";

const wasmPath = fileURLToPath(new URL("../../wasm/build/int8-topk.wasm", import.meta.url));

let kernelModule: WebAssembly.Module;

beforeAll(() => {
  if (!existsSync(wasmPath)) {
    throw new Error(`${wasmPath} is missing: build the kernels first with \`npm run build:wasm\``);
  }
  kernelModule = new WebAssembly.Module(readFileSync(wasmPath));
});

/** int8 values uniform over the whole range, -128 included; `spread` < 128 narrows it to force ties. */
function randomInt8(rng: Rng, length: number, spread = 128): Int8Array {
  const out = new Int8Array(length);
  for (let i = 0; i < length; i++) {
    out[i] = Math.floor(rng() * 2 * spread) - spread;
  }
  return out;
}

function randomTable(rng: Rng, items: number, dim: number, perRow: boolean, spread = 128): Int8ItemTable {
  const scales = new Float32Array(perRow ? items : 1);
  for (let i = 0; i < scales.length; i++) {
    scales[i] = 0.001 + rng() * 0.05;
  }
  return { data: randomInt8(rng, items * dim, spread), scales, items, dim };
}

function load(kernel: Int8TopK, table: Int8ItemTable): void {
  kernel.loadTable(table.data, table.scales, table.items, table.dim);
}

/**
 * A kernel loaded with a seeded random table of `items` × `dim` (a scale per row), a user vector drawn
 * after it, and the generator, to draw more from.
 */
function seededKernel(seed: number, items: number, dim: number) {
  const rng = mulberry32(seed);
  const table = randomTable(rng, items, dim, true);
  const kernel = createInt8TopK(kernelModule);
  load(kernel, table);
  return { rng, table, kernel, user: randomInt8(rng, dim) };
}

/** Scores as their float32 bit patterns, so -0 vs 0 or a last-bit difference fails the comparison. */
function bits(scores: Float32Array): number[] {
  return Array.from(new Uint32Array(scores.buffer, scores.byteOffset, scores.length));
}

function expectSameResult(actual: TopKResult, expected: TopKResult): void {
  expect(Array.from(actual.indices)).toEqual(Array.from(expected.indices));
  expect(bits(actual.scores)).toEqual(bits(expected.scores));
}

/** An oracle that shares no code with either implementation: score everything, sort, cut. */
function topKBySorting(
  table: Int8ItemTable,
  user: Int8Array,
  userScale: number,
  k: number,
  exclude: number[],
) {
  const scores = scoreAllReference(table, user, userScale);
  const skip = new Set(exclude);
  const order = [...scores.keys()].filter((i) => !skip.has(i));
  order.sort((a, b) => scores[b]! - scores[a]! || a - b);
  const indices = order.slice(0, k);
  return { indices, scores: indices.map((i) => scores[i]!) };
}

describe("int8 top-k kernel", () => {
  it("matches the TypeScript reference bit for bit over dims 7–100, 1–5000 items, both scale kinds", () => {
    const rng = mulberry32(1);
    for (const dim of [7, 16, 32, 64, 100]) {
      for (const items of [1, 2, 31, 32, 33, 257, 5000]) {
        for (const perRow of [true, false]) {
          const table = randomTable(rng, items, dim, perRow);
          const kernel = createInt8TopK(kernelModule);
          load(kernel, table);
          const user = randomInt8(rng, dim);
          const userScale = 0.002 + rng() * 0.02;
          const exclude = Int32Array.from({ length: Math.ceil(items / 7) }, () => Math.floor(rng() * items));
          for (const k of [0, 1, 10, items, items + 5]) {
            expectSameResult(kernel.topK(user, userScale, k), topKReference(table, user, userScale, k));
            expectSameResult(
              kernel.topK(user, userScale, k, exclude),
              topKReference(table, user, userScale, k, exclude),
            );
          }
          expect(bits(kernel.scoreAll(user, userScale))).toEqual(
            bits(scoreAllReference(table, user, userScale)),
          );
        }
      }
    }
  });

  it("reference ranks like scoring everything and sorting by score then index", () => {
    const rng = mulberry32(2);
    for (const dim of [7, 64]) {
      // A narrow value range makes many exact score ties, so the index tie-break is exercised.
      const table = randomTable(rng, 3000, dim, false, 2);
      const user = randomInt8(rng, dim, 2);
      const exclude = [5, 17, 2999, 0, 17];
      for (const k of [1, 50, 3000]) {
        const expected = topKBySorting(table, user, 0.01, k, exclude);
        const actual = topKReference(table, user, 0.01, k, Int32Array.from(exclude));
        expect(Array.from(actual.indices)).toEqual(expected.indices);
        expect(Array.from(actual.scores)).toEqual(expected.scores);
      }
    }
  });

  it("breaks ties by lower index and returns every eligible item when k exceeds the table", () => {
    const kernel = createInt8TopK(kernelModule);
    const items = 40;
    const dim = 20;
    kernel.loadTable(new Int8Array(items * dim).fill(3), new Float32Array([0.5]), items, dim);
    const user = new Int8Array(dim).fill(-2);
    const result = kernel.topK(user, 0.25, 100, Uint32Array.from([39, 0, 7, 7]));
    const expectedIndices = Array.from({ length: items }, (_, i) => i).filter((i) => ![0, 7, 39].includes(i));
    expect(Array.from(result.indices)).toEqual(expectedIndices);
    expect(Array.from(result.scores)).toEqual(expectedIndices.map(() => -120 * 0.125));
  });

  it("computes extreme products exactly, -128 × -128 over every lane and the scalar tail", () => {
    const kernel = createInt8TopK(kernelModule);
    const dim = 100;
    const data = new Int8Array(3 * dim);
    data.fill(-128, 0, dim); // row 0: all -128
    data.fill(127, dim, 2 * dim); // row 1: all 127
    for (let c = 0; c < dim; c++) {
      data[2 * dim + c] = c % 2 === 0 ? -128 : 127; // row 2: alternating
    }
    kernel.loadTable(data, new Float32Array([1]), 3, dim);
    const user = new Int8Array(dim).fill(-128);
    const scores = kernel.scoreAll(user, 1);
    expect(Array.from(scores)).toEqual([128 * 128 * dim, -128 * 127 * dim, 50 * 128 * 128 - 50 * 128 * 127]);
    expect(Array.from(kernel.topK(user, 1, 3).indices)).toEqual([0, 2, 1]);
  });

  it("returns nothing for k = 0 or when every item is excluded", () => {
    const { kernel, user } = seededKernel(3, 50, 16);
    expect(kernel.topK(user, 1, 0).indices.length).toBe(0);
    const everything = Int32Array.from({ length: 50 }, (_, i) => 49 - i);
    const result = kernel.topK(user, 1, 10, everything);
    expect(result.indices.length).toBe(0);
    expect(result.scores.length).toBe(0);
  });

  it("ignores negative, out-of-range and duplicate exclusions", () => {
    const { table, kernel, user } = seededKernel(4, 100, 32);
    const exclude = Int32Array.from([-1, 100, 1_000_000, 3, 3, 64, -2147483648]);
    const result = kernel.topK(user, 0.1, 100, exclude);
    expect(result.indices.length).toBe(98);
    expect(Array.from(result.indices)).not.toContain(3);
    expect(Array.from(result.indices)).not.toContain(64);
    expectSameResult(result, topKReference(table, user, 0.1, 100, exclude));
  });

  it("clears exclusions after each call, so a later call without them sees every item again", () => {
    const { kernel, user } = seededKernel(5, 200, 64);
    const unfiltered = kernel.topK(user, 0.1, 5);
    const filtered = kernel.topK(user, 0.1, 5, Uint32Array.from(unfiltered.indices));
    expect(Array.from(filtered.indices).some((i) => unfiltered.indices.includes(i))).toBe(false);
    expectSameResult(kernel.topK(user, 0.1, 5), unfiltered);
  });

  it("keeps heap and memory constant over repeated calls and results unchanged", () => {
    const { rng, kernel, user } = seededKernel(6, 2000, 64);
    const exclude = Int32Array.from({ length: 100 }, () => Math.floor(rng() * 2000));
    const first = kernel.topK(user, 0.05, 20, exclude);
    const usage = kernel.memoryUsage();
    for (let call = 0; call < 500; call++) {
      kernel.topK(user, 0.05, 20, exclude);
      kernel.scoreAll(user, 0.05);
    }
    expect(kernel.memoryUsage()).toEqual(usage);
    expectSameResult(kernel.topK(user, 0.05, 20, exclude), first);
  });

  it("grows memory for a bigger table or exclusion list and reuses it when a table is reloaded", () => {
    const rng = mulberry32(7);
    const small = randomTable(rng, 300, 32, true);
    const big = randomTable(rng, 5000, 100, false); // 500 KB: more than the initial memory
    const kernel = createInt8TopK(kernelModule);
    load(kernel, small);
    const smallUsage = kernel.memoryUsage();
    const user32 = randomInt8(rng, 32);
    const smallResult = kernel.topK(user32, 0.1, 10);

    load(kernel, big);
    const bigUsage = kernel.memoryUsage();
    expect(bigUsage.memoryBytes).toBeGreaterThan(smallUsage.memoryBytes);
    const user100 = randomInt8(rng, 100);
    const longExclude = Uint32Array.from({ length: 4000 }, (_, i) => (i * 7919) % 5000);
    expectSameResult(
      kernel.topK(user100, 0.1, 50, longExclude),
      topKReference(big, user100, 0.1, 50, longExclude),
    );
    expect(kernel.memoryUsage().heapBytes).toBeGreaterThan(bigUsage.heapBytes);
    expectSameResult(kernel.topK(user100, 0.1, 50), topKReference(big, user100, 0.1, 50));

    load(kernel, small);
    expect(kernel.memoryUsage().heapBytes).toBe(smallUsage.heapBytes);
    expectSameResult(kernel.topK(user32, 0.1, 10), smallResult);
    // Reloading reuses memory that held the big table: the bitset must still start empty.
    expectSameResult(kernel.topK(user32, 0.1, 300), topKReference(small, user32, 0.1, 300));
  });

  it("keeps instances independent", () => {
    const rng = mulberry32(8);
    const a = randomTable(rng, 100, 16, true);
    const b = randomTable(rng, 100, 16, true);
    const kernelA = createInt8TopK(kernelModule);
    const kernelB = createInt8TopK(kernelModule);
    load(kernelA, a);
    load(kernelB, b);
    const user = randomInt8(rng, 16);
    expectSameResult(kernelA.topK(user, 0.1, 10), topKReference(a, user, 0.1, 10));
    expectSameResult(kernelB.topK(user, 0.1, 10), topKReference(b, user, 0.1, 10));
  });

  it("rejects inconsistent tables, vectors, scales and k with a clear error", () => {
    const kernel = createInt8TopK(kernelModule);
    const user = new Int8Array(8);
    expect(() => kernel.topK(user, 1, 1)).toThrow(/loadTable first/);
    expect(() => kernel.loadTable(new Int8Array(15), new Float32Array(1), 2, 8)).toThrow(/2×8/);
    expect(() => kernel.loadTable(new Int8Array(16), new Float32Array(3), 2, 8)).toThrow(/1 or 2 scales/);
    expect(() => kernel.loadTable(new Int8Array(16), new Float32Array([Number.NaN]), 2, 8)).toThrow(/finite/);
    expect(() => kernel.loadTable(new Int8Array(0), new Float32Array(1), 0, 0)).toThrow(/dim/);
    kernel.loadTable(new Int8Array(16), new Float32Array(1), 2, 8);
    expect(() => kernel.topK(new Int8Array(7), 1, 1)).toThrow(/dim 8/);
    expect(() => kernel.topK(user, Number.POSITIVE_INFINITY, 1)).toThrow(/finite/);
    expect(() => kernel.topK(user, 1, -1)).toThrow(/non-negative integer/);
    expect(() => kernel.topK(user, 1, 1.5)).toThrow(/non-negative integer/);
  });

  it("refuses a module that is not the kernel", () => {
    // The smallest valid module: magic number and version, no exports.
    const empty = new WebAssembly.Module(new Uint8Array([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0]));
    expect(() => createInt8TopK(empty)).toThrow(/not the int8-topk kernel/);
  });
});

describe("quantizeUserVector", () => {
  it("quantizes exactly like the item tables' per-tensor quantizer, into the caller's buffer", () => {
    const vector = randomNormalArray(mulberry32(9), 100, 0.3);
    const out = new Int8Array(100);
    const quantized = quantizeUserVector(vector, out);
    const expected = quantizePerTensor(vector);
    expect(quantized.values).toBe(out);
    expect(Array.from(out)).toEqual(Array.from(expected.data));
    expect(quantized.scale).toBe(expected.scale);
  });

  it("scores quantized vectors within the rounding bound of the float32 dot product", () => {
    const rng = mulberry32(10);
    const items = 1000;
    const dim = 64;
    const floatTable = randomNormalArray(rng, items * dim);
    const floatUser = randomNormalArray(rng, dim);
    const kernel = createInt8TopK(kernelModule);
    const tableQ = quantizePerTensor(floatTable);
    kernel.loadTable(tableQ.data, new Float32Array([tableQ.scale]), items, dim);
    const userQ = quantizeUserVector(floatUser);
    const approx = kernel.scoreAll(userQ.values, userQ.scale);
    for (let i = 0; i < items; i++) {
      let exact = 0;
      // Each side moves by at most half its step: |tu − t̂û| ≤ |t|·su/2 + |u|·st/2 + st·su/4 per term.
      let bound = 1e-4;
      for (let c = 0; c < dim; c++) {
        const t = floatTable[i * dim + c]!;
        const u = floatUser[c]!;
        exact += t * u;
        bound +=
          (Math.abs(t) * userQ.scale + Math.abs(u) * tableQ.scale + (tableQ.scale * userQ.scale) / 2) / 2;
      }
      expect(Math.abs(approx[i]! - exact)).toBeLessThanOrEqual(bound);
    }
  });
});

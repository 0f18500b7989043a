/// <reference path="./wasm-module.d.ts" />
/**
 * Host side of the int8 top-k kernel (assembly/int8-topk.ts): one item table loaded once, then one user
 * vector per call. Runs unchanged in Node and in workerd: it only instantiates an already compiled
 * `WebAssembly.Module` (a static `.wasm` import in the Worker, `new WebAssembly.Module(bytes)` in Node),
 * which workerd allows, and never compiles bytes itself.
 *
 * Per call, the only allocations are the result arrays: the user vector and the exclusion list are copied
 * into regions of the kernel's memory reserved when the table was loaded (the exclusion region grows by
 * doubling when a longer list arrives, and is reclaimed with everything else on the next loadTable).
 */

/** Items ranked best first: higher score, then lower index. */
export interface TopKResult {
  indices: Uint32Array;
  scores: Float32Array;
}

export interface Int8TopK {
  /**
   * Copies an item table into the kernel: `items` rows of `dim` int8 values, row-major, with float32 scales
   * either one per row (`scales.length === items`) or one for the table (`scales.length === 1`). Replaces
   * any previous table and reuses its memory.
   */
  loadTable(table: Int8Array, scales: Float32Array, items: number, dim: number): void;
  /**
   * The best min(k, eligible) items for an int8 user vector with scale `userScale`, where
   * score(i) = f32(dot(user, row i)) · (scale(i) · userScale) in float32. `exclude` lists item indices to
   * skip, in any order; duplicates and indices outside the table are ignored.
   */
  topK(user: Int8Array, userScale: number, k: number, exclude?: Int32Array | Uint32Array): TopKResult;
  /** Every item's score, in item order (for re-ranking a candidate set). */
  scoreAll(user: Int8Array, userScale: number): Float32Array;
  /** Kernel heap in use and linear memory size, in bytes: constant across calls once a table is loaded. */
  memoryUsage(): { heapBytes: number; memoryBytes: number };
}

/** Above this, 128² · dim no longer fits the kernel's int32 accumulators. */
export const MAX_DIM = 131_071;

/** The kernel's own ceiling for one block (wasm32 memory is at most 4 GiB). */
const MAX_ALLOCATION_BYTES = 0xfffe_0000;

/** Exclusion entries reserved at load time, so typical "recently seen" lists never grow memory. */
const INITIAL_EXCLUDE_CAPACITY = 256;

interface KernelExports {
  memory: WebAssembly.Memory;
  allocate(bytes: number): number;
  reset(): void;
  heapEnd(): number;
  scoreTopK(
    user: number,
    userScale: number,
    table: number,
    scales: number,
    scaleStride: number,
    items: number,
    dim: number,
    k: number,
    exclude: number,
    excludeCount: number,
    bitset: number,
    outIndices: number,
    outScores: number,
  ): number;
  scoreAll(
    user: number,
    userScale: number,
    table: number,
    scales: number,
    scaleStride: number,
    items: number,
    dim: number,
    outScores: number,
  ): void;
}

/** Where the loaded table and the per-call regions live in kernel memory (byte offsets). */
interface Layout {
  items: number;
  dim: number;
  table: number;
  scales: number;
  scaleStride: number;
  bitset: number;
  user: number;
  outIndices: number;
  outScores: number;
  exclude: number;
  excludeCapacity: number;
}

const KERNEL_FUNCTIONS = ["allocate", "reset", "heapEnd", "scoreTopK", "scoreAll"] as const;

function abort(_message: number, _file: number, line: number, column: number): never {
  throw new Error(`int8-topk kernel aborted at assembly/int8-topk.ts:${line}:${column}`);
}

function kernelExports(instance: WebAssembly.Instance): KernelExports {
  const exports = instance.exports;
  for (const name of KERNEL_FUNCTIONS) {
    if (typeof exports[name] !== "function") {
      throw new TypeError(`not the int8-topk kernel: export "${name}" is missing`);
    }
  }
  if (!(exports.memory instanceof WebAssembly.Memory)) {
    throw new TypeError('not the int8-topk kernel: export "memory" is missing');
  }
  // Checked just above: every function the host calls is there, and memory is a Memory.
  return exports as unknown as KernelExports;
}

class WasmInt8TopK implements Int8TopK {
  readonly #kernel: KernelExports;
  #layout: Layout | undefined;
  #buffer: ArrayBuffer | undefined;
  #int8 = new Int8Array(0);
  #uint32 = new Uint32Array(0);
  #float32 = new Float32Array(0);

  constructor(kernel: KernelExports) {
    this.#kernel = kernel;
  }

  loadTable(table: Int8Array, scales: Float32Array, items: number, dim: number): void {
    checkTable(table, scales, items, dim);
    // Forget the old table first, so a failed load leaves "no table" rather than a half-written one.
    this.#layout = undefined;
    this.#kernel.reset();
    const layout: Layout = {
      items,
      dim,
      table: this.#allocate(items * dim),
      scales: this.#allocate(scales.length * 4),
      scaleStride: scales.length === 1 ? 0 : 4,
      bitset: this.#allocate(Math.ceil(items / 32) * 4),
      user: this.#allocate(dim),
      outIndices: this.#allocate(items * 4),
      outScores: this.#allocate(items * 4),
      exclude: this.#allocate(INITIAL_EXCLUDE_CAPACITY * 4),
      excludeCapacity: INITIAL_EXCLUDE_CAPACITY,
    };
    this.#views();
    this.#int8.set(table, layout.table);
    this.#float32.set(scales, layout.scales >>> 2);
    this.#layout = layout;
  }

  topK(user: Int8Array, userScale: number, k: number, exclude?: Int32Array | Uint32Array): TopKResult {
    const layout = this.#requireTable(user, userScale);
    if (!Number.isInteger(k) || k < 0) {
      throw new RangeError(`k must be a non-negative integer, got ${k}`);
    }
    const capacity = Math.min(k, layout.items);
    const excludeCount = exclude?.length ?? 0;
    if (excludeCount > layout.excludeCapacity) {
      const excludeCapacity = Math.max(excludeCount, 2 * layout.excludeCapacity);
      layout.exclude = this.#allocate(excludeCapacity * 4);
      layout.excludeCapacity = excludeCapacity;
    }
    this.#views();
    this.#int8.set(user, layout.user);
    if (exclude !== undefined) {
      // Typed-array set converts int32 to uint32, so a negative index becomes ≥ items and is ignored.
      this.#uint32.set(exclude, layout.exclude >>> 2);
    }
    const count = this.#kernel.scoreTopK(
      layout.user,
      userScale,
      layout.table,
      layout.scales,
      layout.scaleStride,
      layout.items,
      layout.dim,
      capacity,
      layout.exclude,
      excludeCount,
      layout.bitset,
      layout.outIndices,
      layout.outScores,
    );
    const indicesAt = layout.outIndices >>> 2;
    const scoresAt = layout.outScores >>> 2;
    return {
      indices: this.#uint32.slice(indicesAt, indicesAt + count),
      scores: this.#float32.slice(scoresAt, scoresAt + count),
    };
  }

  scoreAll(user: Int8Array, userScale: number): Float32Array {
    const layout = this.#requireTable(user, userScale);
    this.#views();
    this.#int8.set(user, layout.user);
    this.#kernel.scoreAll(
      layout.user,
      userScale,
      layout.table,
      layout.scales,
      layout.scaleStride,
      layout.items,
      layout.dim,
      layout.outScores,
    );
    const scoresAt = layout.outScores >>> 2;
    return this.#float32.slice(scoresAt, scoresAt + layout.items);
  }

  memoryUsage(): { heapBytes: number; memoryBytes: number } {
    return { heapBytes: this.#kernel.heapEnd(), memoryBytes: this.#kernel.memory.buffer.byteLength };
  }

  #requireTable(user: Int8Array, userScale: number): Layout {
    const layout = this.#layout;
    if (layout === undefined) {
      throw new Error("no item table loaded: call loadTable first");
    }
    if (user.length !== layout.dim) {
      throw new RangeError(`user vector has ${user.length} values, the table has dim ${layout.dim}`);
    }
    if (!Number.isFinite(Math.fround(userScale))) {
      throw new RangeError(`userScale must be a finite float32, got ${userScale}`);
    }
    return layout;
  }

  #allocate(bytes: number): number {
    // The kernel takes a u32; a larger request would silently wrap instead of failing.
    const ptr = bytes <= MAX_ALLOCATION_BYTES ? this.#kernel.allocate(bytes) : 0;
    if (ptr === 0) {
      throw new RangeError(`int8-topk kernel memory cannot grow by ${bytes} bytes`);
    }
    return ptr;
  }

  // Growing memory replaces (and detaches) its ArrayBuffer, so views are rebuilt only when that happened.
  #views(): void {
    const buffer = this.#kernel.memory.buffer;
    if (buffer !== this.#buffer) {
      this.#buffer = buffer;
      this.#int8 = new Int8Array(buffer);
      this.#uint32 = new Uint32Array(buffer);
      this.#float32 = new Float32Array(buffer);
    }
  }
}

function checkTable(table: Int8Array, scales: Float32Array, items: number, dim: number): void {
  if (!Number.isInteger(items) || items < 0) {
    throw new RangeError(`items must be a non-negative integer, got ${items}`);
  }
  if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) {
    throw new RangeError(`dim must be an integer in [1, ${MAX_DIM}], got ${dim}`);
  }
  if (table.length !== items * dim) {
    throw new RangeError(`expected ${items}×${dim} = ${items * dim} table values, got ${table.length}`);
  }
  if (scales.length !== 1 && scales.length !== items) {
    throw new RangeError(`expected 1 or ${items} scales, got ${scales.length}`);
  }
  for (let i = 0; i < scales.length; i++) {
    if (!Number.isFinite(scales[i]!)) {
      throw new RangeError(`scale ${i} is ${scales[i]}: scales must be finite`);
    }
  }
}

/** Instantiates the kernel from its compiled module; each instance has its own memory and table. */
export function createInt8TopK(module: WebAssembly.Module): Int8TopK {
  const instance = new WebAssembly.Instance(module, { env: { abort } });
  return new WasmInt8TopK(kernelExports(instance));
}

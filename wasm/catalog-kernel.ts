/// <reference path="./wasm-module.d.ts" />
/**
 * Host side of the catalogue search (assembly/int8-topk.ts, `configure` / `search`): one kernel instance
 * per catalogue version, holding the catalogue's only copy. The bytes are written straight into the
 * kernel's memory (`reserveCatalogKernel(...).bytes`, filled by the caller from KV), then decoded in place:
 * every typed array of the Catalog is a view of wasm memory, and the kernel reads the same bytes.
 *
 * Memory never grows after `finish`: every per-request region (exclusion bitset, list ranks, flags, the
 * user vector, the out heap) is reserved there, sized from the header, so the views stay valid and a
 * request allocates nothing but its result arrays. Runs unchanged in Node and in workerd.
 */

import {
  type Catalog,
  type DecodeOptions,
  decodeCatalog,
  EXCLUDE_BATCH,
  type ItemVectors,
  kernelRegionBytes,
  listGamma,
  MAX_RESULTS,
  MAX_RULE_CATEGORIES,
  readCatalogHeader,
} from "../models/catalog/index.ts";
import type { TopKResult } from "./int8-topk.ts";
import { quantizeUserVector } from "./quantize-user-vector.ts";

/**
 * A probe stops at this multiple of its budget even when the rules left fewer than n eligible rows, and so
 * does a cold-start walk: a filter that matches almost nothing costs a bounded scan, not the catalogue.
 */
export const MAX_ROWS_FACTOR = 16;

/** The rules a search applies inside the scan. */
export interface SearchRules {
  /** Category ids an item needs one of; null for any (an empty array matches nothing). */
  includeCategories: Uint32Array | null;
  /** Category ids an item must not have. */
  excludeCategories: Uint32Array;
  /** Inclusive bounds; with either, an item of unknown price is left out. */
  priceMin?: number | undefined;
  priceMax?: number | undefined;
  /** Item indices never to return (seen, explicitly excluded, already chosen), in any order. */
  excluded: Uint32Array;
}

export interface SearchResult extends TopKResult {
  /** Rows the scan looked at (scored or skipped by a rule): the work done. */
  rowsScanned: number;
}

export const NO_RULES: SearchRules = {
  includeCategories: null,
  excludeCategories: new Uint32Array(0),
  excluded: new Uint32Array(0),
};

interface Exports {
  memory: WebAssembly.Memory;
  allocate(bytes: number): number;
  configure(layout: number): void;
  markItems(list: number, count: number, set: boolean): void;
  rowsScanned(): number;
  search(
    set: number,
    source: number,
    table: number,
    scales: number,
    dim: number,
    userScale: number,
    values: number,
    order: number,
    gamma: number,
    n: number,
    budgetRows: number,
    maxRows: number,
    include: boolean,
    includeCount: number,
    exclude: boolean,
    priced: boolean,
    priceMin: number,
    priceMax: number,
  ): number;
}

const SET = { all: 0, lists: 1, postings: 2, order: 3 } as const;
const SOURCE = { dot: 0, values: 1 } as const;

/** One kernel search: which rows (SET), scored how (SOURCE: a table's int8 dot, or stored values). */
interface SearchPlan {
  set: (typeof SET)[keyof typeof SET];
  source: (typeof SOURCE)[keyof typeof SOURCE];
  table?: ItemVectors;
  userScale?: number;
  values?: Float32Array;
  order?: Uint32Array;
  gamma?: number;
  budget: number;
  maxRows: number;
}

function abort(_message: number, _file: number, line: number, column: number): never {
  throw new Error(`catalogue kernel aborted at assembly/int8-topk.ts:${line}:${column}`);
}

/** A kernel with `sizeBytes` reserved for a catalogue: fill `bytes`, then `finish()`. */
export interface ReservedCatalogKernel {
  readonly bytes: Uint8Array;
  /** Decodes the bytes in place; `trusted` skips the O(items) checks (decodeCatalog's DecodeOptions). */
  finish(options?: DecodeOptions): CatalogKernel;
}

export function reserveCatalogKernel(module: WebAssembly.Module, sizeBytes: number): ReservedCatalogKernel {
  const instance = new WebAssembly.Instance(module, { env: { abort } });
  const kernel = instance.exports as unknown as Exports;
  if (typeof kernel.search !== "function" || !(kernel.memory instanceof WebAssembly.Memory)) {
    throw new TypeError("not the catalogue kernel: exports search and memory are missing");
  }
  const at = allocate(kernel, sizeBytes);
  return {
    bytes: new Uint8Array(kernel.memory.buffer, at, sizeBytes),
    finish: (options = {}) => new CatalogKernel(kernel, at, sizeBytes, options),
  };
}

/** Copies `bytes` into a new kernel and decodes them there (Node tests and tools; the edge fills from KV). */
export function loadCatalogKernel(module: WebAssembly.Module, bytes: Uint8Array): CatalogKernel {
  const reserved = reserveCatalogKernel(module, bytes.length);
  reserved.bytes.set(bytes);
  return reserved.finish();
}

function allocate(kernel: Exports, bytes: number): number {
  const at = bytes <= 0xfffe_0000 ? kernel.allocate(bytes) : 0;
  if (at === 0) {
    throw new RangeError(`catalogue kernel memory cannot grow by ${bytes} bytes`);
  }
  return at;
}

export class CatalogKernel {
  readonly catalog: Catalog;
  readonly #kernel: Exports;
  readonly #buffer: ArrayBuffer;
  readonly #user: Int8Array;
  readonly #exclude: Uint32Array;
  readonly #includeList: Uint32Array;
  readonly #includeFlags: Uint8Array;
  readonly #excludeFlags: Uint8Array;
  readonly #outIndices: Uint32Array;
  readonly #outScores: Float32Array;

  constructor(kernel: Exports, at: number, sizeBytes: number, options: DecodeOptions = {}) {
    this.#kernel = kernel;
    const { header } = readCatalogHeader(new Uint8Array(kernel.memory.buffer, at, sizeBytes));
    const categories = header.categories.length;
    const dim = Math.max(header.embedding?.dim ?? 0, header.content?.dim ?? 0);
    const sizes = kernelRegionBytes(header);
    const region = Object.fromEntries(
      Object.entries(sizes).map(([name, bytes]) => [name, allocate(kernel, bytes)]),
    ) as Record<keyof ReturnType<typeof kernelRegionBytes>, number>;
    // Every allocation is done: from here on the buffer is final, and so is every view below.
    this.#buffer = kernel.memory.buffer;
    const buffer = this.#buffer;
    this.catalog = decodeCatalog(new Uint8Array(buffer, at, sizeBytes), options);
    this.#user = new Int8Array(buffer, region.user, dim);
    this.#exclude = new Uint32Array(buffer, region.exclude, EXCLUDE_BATCH);
    this.#includeList = new Uint32Array(buffer, region.includeList, MAX_RULE_CATEGORIES);
    this.#includeFlags = new Uint8Array(buffer, region.includeFlags, categories);
    this.#excludeFlags = new Uint8Array(buffer, region.excludeFlags, categories);
    this.#outIndices = new Uint32Array(buffer, region.outIndices, MAX_RESULTS);
    this.#outScores = new Float32Array(buffer, region.outScores, MAX_RESULTS);
    const c = this.catalog;
    const index = c.index;
    // The layout block reuses the exclusion staging region: configure reads it once, before any search.
    const layout = [
      c.items,
      c.categoryOffsets.byteOffset,
      c.categoryIds.byteOffset,
      c.categoryItemOffsets.byteOffset,
      c.categoryItems.byteOffset,
      c.price.byteOffset,
      index?.lists ?? 0,
      index?.centroids.byteOffset ?? 0,
      index?.centroidScales.byteOffset ?? 0,
      index?.bias.byteOffset ?? 0,
      index?.offsets.byteOffset ?? 0,
      region.bitset,
      region.listRanks,
      region.listHeap,
      region.includeFlags,
      region.excludeFlags,
      region.includeList,
      region.user,
      region.outIndices,
      region.outScores,
    ];
    this.#exclude.set(layout);
    kernel.configure(this.#exclude.byteOffset);
  }

  /** Bytes of the kernel's memory: the catalogue plus its fixed per-request regions. */
  get memoryBytes(): number {
    return this.#kernel.memory.buffer.byteLength;
  }

  /**
   * The best n items for a float query by the int8 score against `table` (the embedding table, which the
   * IVF index covers, or the content table, always scanned whole), under the rules. Through the index when
   * there is one: the best-ranked lists until `probeRows` eligible rows were scanned (or MAX_ROWS_FACTOR
   * times that many rows in all).
   */
  nearest(
    table: ItemVectors,
    query: Float32Array,
    n: number,
    rules: SearchRules,
    probeRows?: number,
  ): SearchResult {
    if (query.length !== table.dim) {
      throw new RangeError(`query has ${query.length} values, the table has dim ${table.dim}`);
    }
    const user = quantizeUserVector(query, this.#user.subarray(0, table.dim));
    const index = table === this.catalog.embedding ? this.catalog.index : null;
    // The budget counts eligible rows scanned, at least the n asked for.
    const budget = index ? Math.max(n, probeRows ?? index.probeRows) : this.catalog.items;
    const maxRows = Math.min(this.catalog.items, budget * MAX_ROWS_FACTOR);
    // Included categories whose items number no more than a probe may scan are scanned whole: exact, and
    // immune to a category that sits far from the user's lists.
    const set = this.#postingsPay(rules, maxRows) ? SET.postings : index ? SET.lists : SET.all;
    return this.#search(rules, n, {
      set,
      source: SOURCE.dot,
      table,
      userScale: user.scale,
      gamma: index ? listGamma(index, query) : 1,
      budget,
      maxRows,
    });
  }

  /** The n eligible items with the best popularity (or trending score), best first, walking the stored order. */
  ranked(strategy: "popular" | "trending", n: number, rules: SearchRules): SearchResult {
    const c = this.catalog;
    const values = strategy === "popular" ? c.popularity : c.trending;
    const order = strategy === "popular" ? c.popularOrder : c.trendingOrder;
    const walkLimit = c.index ? Math.min(c.items, c.index.probeRows * MAX_ROWS_FACTOR) : c.items;
    const set = this.#postingsPay(rules, walkLimit) ? SET.postings : SET.order;
    return this.#search(rules, n, {
      set,
      source: SOURCE.values,
      values,
      order,
      budget: walkLimit,
      maxRows: walkLimit,
    });
  }

  /** Whether scanning the included categories' posting lists whole costs no more than `rows`. */
  #postingsPay(rules: SearchRules, rows: number): boolean {
    const include = rules.includeCategories;
    if (include === null) {
      return false;
    }
    const offsets = this.catalog.categoryItemOffsets;
    let total = 0;
    for (const category of include) {
      total += offsets[category + 1]! - offsets[category]!;
    }
    return total <= rows;
  }

  #search(rules: SearchRules, n: number, plan: SearchPlan): SearchResult {
    this.#requireBuffer();
    const want = Math.min(Math.max(0, Math.floor(n)), MAX_RESULTS);
    const include = rules.includeCategories;
    if (include !== null && include.length === 0) {
      return { indices: new Uint32Array(0), scores: new Float32Array(0), rowsScanned: 0 };
    }
    if (include !== null && include.length > MAX_RULE_CATEGORIES) {
      throw new RangeError(`at most ${MAX_RULE_CATEGORIES} categories per rule`);
    }
    this.#flags(this.#includeFlags, include, 1);
    this.#flags(this.#excludeFlags, rules.excludeCategories, 1);
    if (include !== null) {
      this.#includeList.set(include);
    }
    this.#mark(rules.excluded, true);
    const priced = rules.priceMin !== undefined || rules.priceMax !== undefined;
    let count: number;
    try {
      count = this.#kernel.search(
        plan.set,
        plan.source,
        plan.table?.values.byteOffset ?? 0,
        plan.table?.scales.byteOffset ?? 0,
        plan.table?.dim ?? 0,
        plan.userScale ?? 0,
        plan.values?.byteOffset ?? 0,
        plan.order?.byteOffset ?? 0,
        plan.gamma ?? 1,
        want,
        plan.budget,
        plan.maxRows,
        include !== null,
        include?.length ?? 0,
        rules.excludeCategories.length > 0,
        priced,
        rules.priceMin ?? 0,
        rules.priceMax ?? Number.POSITIVE_INFINITY,
      );
    } finally {
      this.#mark(rules.excluded, false);
      this.#flags(this.#includeFlags, include, 0);
      this.#flags(this.#excludeFlags, rules.excludeCategories, 0);
    }
    return {
      indices: this.#outIndices.slice(0, count),
      scores: this.#outScores.slice(0, count),
      rowsScanned: this.#kernel.rowsScanned(),
    };
  }

  #flags(flags: Uint8Array, categories: Uint32Array | null, value: number): void {
    for (const category of categories ?? []) {
      if (category < flags.length) {
        flags[category] = value;
      }
    }
  }

  #mark(items: Uint32Array, set: boolean): void {
    for (let from = 0; from < items.length; from += EXCLUDE_BATCH) {
      const batch = items.subarray(from, from + EXCLUDE_BATCH);
      this.#exclude.set(batch);
      this.#kernel.markItems(this.#exclude.byteOffset, batch.length, set);
    }
  }

  #requireBuffer(): void {
    if (this.#kernel.memory.buffer !== this.#buffer) {
      throw new Error("the catalogue kernel's memory grew after loading: its views are stale");
    }
  }
}

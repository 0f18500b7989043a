/**
 * Encodes an item catalogue at publish time (see catalog-format.ts for the layout). Vector tables arrive as
 * float32 (what the trainers produce) and are quantized here, per row, with the same symmetric int8 scheme as
 * the models (models/onnx/quantize.ts), so the edge's int8 kernel scores exactly the published table.
 *
 * Validation: lengths are checked before writing; every value-level rule (finite scores, prices, sentiment
 * ranges, unique ids, header bounds) is checked by decoding the result, so the encoder can never publish a
 * buffer the edge would reject and the two sides share one definition of "valid".
 */

import { quantizeUserVector } from "../../wasm/quantize-user-vector.ts";
import { quantizePerRow } from "../onnx/quantize.ts";
import { mulberry32 } from "../random.ts";
import type { Catalog } from "./catalog.ts";
import {
  assertLittleEndian,
  CATALOG_FORMAT_VERSION,
  CATALOG_MAGIC,
  CatalogFormatError,
  type CatalogHeader,
  layoutCatalog,
  PREAMBLE_BYTES,
  type SectionName,
} from "./catalog-format.ts";
import { decodeCatalog } from "./decode-catalog.ts";
import { buildIdSlots, idSlotsFor } from "./id-table.ts";
import { type Calibration, calibrateProbe, INDEX_MIN_ITEMS, type IvfPlan, planIvf } from "./ivf-index.ts";

export interface VectorTableInput {
  model: string;
  version: string;
  dim: number;
  /** [items, dim] row-major. */
  vectors: Float32Array;
}

export interface CatalogInput {
  version: string;
  /** ISO-8601; defaults to now. */
  createdAt?: string;
  itemIds: readonly string[];
  /** Cold-start scores, ≥ 0: distinct users per item, and the time-decayed count. */
  popularity: ArrayLike<number>;
  trending: ArrayLike<number>;
  /** Each item's category names (order irrelevant, duplicates ignored); default none. */
  categories?: readonly (readonly string[])[];
  /** NaN where unknown; default all unknown. */
  price?: ArrayLike<number>;
  /** Per item: mean positive-review probability in [0, 1] (NaN when count is 0) and review count. */
  sentiment?: { mean: ArrayLike<number>; count: ArrayLike<number> };
  /** The recommendation model's item factors. */
  embedding?: VectorTableInput;
  /** The fused content vectors. */
  content?: VectorTableInput;
  /** The IVF index over the embedding table (ivf-index.ts); built from INDEX_MIN_ITEMS items by default. */
  index?: IndexOptions;
}

export interface IndexOptions {
  /** Build an index from this many items (default INDEX_MIN_ITEMS); Infinity never builds one. */
  minItems?: number;
  /**
   * Queries to measure the probe budget on, [count, dim] floats: the users' embeddings, whose top items
   * the edge will look for. Default: a sample of the items' own vectors.
   */
  queries?: Float32Array;
  /** Publish this probe budget (rows) instead of the measured one. */
  probeRows?: number;
  /** Seeds k-means (default 1): the same input always gives the same index. */
  seed?: number;
}

function checkLength(what: string, length: number, expected: number): void {
  if (length !== expected) {
    throw new CatalogFormatError(
      `cannot encode catalogue: ${what} has ${length} values, expected ${expected}`,
    );
  }
}

function checkTable(what: string, table: VectorTableInput | undefined, items: number): void {
  if (table && (!Number.isInteger(table.dim) || table.dim < 1)) {
    throw new CatalogFormatError(`cannot encode catalogue: ${what} dim must be a positive integer`);
  }
  if (table) {
    checkLength(`${what} vectors`, table.vectors.length, items * table.dim);
  }
}

/** Category names numbered in first-seen order, and the CSR arrays that point at them. */
function buildCategories(perItem: readonly (readonly string[])[] | undefined, items: number) {
  const names: string[] = [];
  const ids = new Map<string, number>();
  const offsets = new Uint32Array(items + 1);
  const refs: number[] = [];
  for (let i = 0; i < items; i++) {
    const own = new Set<number>();
    for (const name of perItem?.[i] ?? []) {
      let id = ids.get(name);
      if (id === undefined) {
        id = names.push(name) - 1;
        ids.set(name, id);
      }
      own.add(id);
    }
    for (const id of own) {
      refs.push(id);
    }
    offsets[i + 1] = refs.length;
  }
  // The inverse CSR: each category's items, ascending (items are visited in order).
  const itemOffsets = new Uint32Array(names.length + 1);
  for (const c of refs) {
    itemOffsets[c + 1]!++;
  }
  for (let c = 0; c < names.length; c++) {
    itemOffsets[c + 1]! += itemOffsets[c]!;
  }
  const items_ = new Uint32Array(refs.length);
  const next = itemOffsets.slice(0, names.length);
  for (let i = 0; i < items; i++) {
    for (let r = offsets[i]!; r < offsets[i + 1]!; r++) {
      items_[next[refs[r]!]!++] = i;
    }
  }
  return { names, offsets, ids: Uint32Array.from(refs), itemOffsets, items: items_ };
}

/** Every item, best `score` first, equal scores by lower index. */
function orderBy(score: ArrayLike<number>): Uint32Array {
  return Uint32Array.from({ length: score.length }, (_, i) => i).sort(
    (a, b) => score[b]! - score[a]! || a - b,
  );
}

function encodeIds(itemIds: readonly string[]): { offsets: Uint32Array; bytes: Uint8Array } {
  const encoder = new TextEncoder();
  const encoded = itemIds.map((id) => encoder.encode(id));
  const offsets = new Uint32Array(itemIds.length + 1);
  encoded.forEach((bytes, i) => {
    offsets[i + 1] = offsets[i]! + bytes.length;
  });
  const bytes = new Uint8Array(offsets[itemIds.length]!);
  encoded.forEach((id, i) => {
    bytes.set(id, offsets[i]!);
  });
  return { offsets, bytes };
}

const tableHeader = (table: VectorTableInput | undefined) =>
  table ? { model: table.model, version: table.version, dim: table.dim } : null;

/** The input's rows in the order `order` (the IVF lists'), or the input itself without an index. */
function reorder(input: CatalogInput, plan: IvfPlan | null): CatalogInput {
  if (plan === null) {
    return input;
  }
  const { order } = plan;
  const pick = (values: ArrayLike<number>) => Float64Array.from(order, (i) => values[i]!);
  const rows = (table: VectorTableInput | undefined) => {
    if (!table) {
      return undefined;
    }
    const out = new Float32Array(table.vectors.length);
    order.forEach((from, to) => {
      out.set(table.vectors.subarray(from * table.dim, (from + 1) * table.dim), to * table.dim);
    });
    return { ...table, vectors: out };
  };
  const embedding = rows(input.embedding);
  const content = rows(input.content);
  return {
    ...input,
    itemIds: Array.from(order, (i) => input.itemIds[i]!),
    popularity: pick(input.popularity),
    trending: pick(input.trending),
    ...(input.categories ? { categories: Array.from(order, (i) => input.categories![i]!) } : {}),
    ...(input.price ? { price: pick(input.price) } : {}),
    ...(input.sentiment
      ? { sentiment: { mean: pick(input.sentiment.mean), count: pick(input.sentiment.count) } }
      : {}),
    ...(embedding ? { embedding } : {}),
    ...(content ? { content } : {}),
  };
}

/** Sample queries for calibration when the origin passes none: up to 64 item vectors, seeded. */
function itemQueries(table: VectorTableInput, items: number, seed: number): Float32Array {
  const rng = mulberry32(seed);
  const count = Math.min(items, 64);
  const out = new Float32Array(count * table.dim);
  for (let q = 0; q < count; q++) {
    const i = Math.floor(rng() * items);
    out.set(table.vectors.subarray(i * table.dim, (i + 1) * table.dim), q * table.dim);
  }
  return out;
}

export function encodeCatalog(original: CatalogInput): Uint8Array {
  assertLittleEndian();
  const items = original.itemIds.length;
  checkLength("popularity", original.popularity.length, items);
  checkLength("trending", original.trending.length, items);
  checkLength("categories", original.categories?.length ?? items, items);
  checkLength("price", original.price?.length ?? items, items);
  checkLength("sentiment mean", original.sentiment?.mean.length ?? items, items);
  checkLength("sentiment count", original.sentiment?.count.length ?? items, items);
  checkTable("embedding", original.embedding, items);
  checkTable("content", original.content, items);
  // A uint32 section would silently wrap a negative or fractional count, so these are checked up front.
  for (let i = 0; i < items && original.sentiment; i++) {
    const count = original.sentiment.count[i]!;
    if (!Number.isInteger(count) || count < 0 || count > 0xffff_ffff) {
      throw new CatalogFormatError(`cannot encode catalogue: review count of item ${i} is ${count}`);
    }
  }
  const options = original.index ?? {};
  const seed = options.seed ?? 1;
  const table = original.embedding;
  const plan =
    table && items > 0 && items >= (options.minItems ?? INDEX_MIN_ITEMS)
      ? planIvf(table.vectors, items, table.dim, seed)
      : null;
  const input = reorder(original, plan);

  const ids = encodeIds(input.itemIds);
  const idSlots = idSlotsFor(items);
  const categories = buildCategories(input.categories, items);
  const embedding = input.embedding
    ? quantizePerRow(input.embedding.vectors, items, input.embedding.dim)
    : null;
  let index: CatalogHeader["index"] = null;
  let centroids: ReturnType<typeof quantizePerRow> | null = null;
  if (plan && embedding && input.embedding) {
    const dim = input.embedding.dim;
    centroids = quantizePerRow(plan.centroids, plan.lists, dim);
    const stored = {
      lists: plan.lists,
      centroids: centroids.data,
      centroidScales: centroids.scales,
      bias: plan.bias,
      offsets: plan.offsets,
      maxNorm: plan.maxNorm,
    };
    const calibration: Calibration | null = calibrateProbe(
      { values: embedding.data, scales: embedding.scales, dim },
      stored,
      options.queries ?? itemQueries(input.embedding, items, seed),
      (query) => quantizeUserVector(query),
      options.probeRows,
    );
    if (calibration) {
      index = { kind: "ivf", lists: plan.lists, maxNorm: plan.maxNorm, ...calibration };
    }
  }
  const header: CatalogHeader = {
    version: input.version,
    createdAt: input.createdAt ?? new Date().toISOString(),
    items,
    idBytes: ids.bytes.length,
    embedding: tableHeader(input.embedding),
    content: tableHeader(input.content),
    categories: categories.names,
    categoryRefs: categories.ids.length,
    idSlots,
    index,
  };
  const headerJson = new TextEncoder().encode(JSON.stringify(header));
  const layout = layoutCatalog(header, headerJson.length);

  const out = new Uint8Array(layout.totalBytes);
  out.set(new TextEncoder().encode(CATALOG_MAGIC), 0);
  out[4] = CATALOG_FORMAT_VERSION;
  new DataView(out.buffer).setUint32(8, headerJson.length, true);
  out.set(headerJson, PREAMBLE_BYTES);

  const write = (name: SectionName, values: ArrayLike<number>) => {
    const { offset, length, type } = layout.sections[name];
    const target =
      type === "int8"
        ? new Int8Array(out.buffer, offset, length)
        : type === "uint8"
          ? new Uint8Array(out.buffer, offset, length)
          : type === "uint32"
            ? new Uint32Array(out.buffer, offset, length)
            : new Float32Array(out.buffer, offset, length);
    target.set(values);
  };
  write("idOffsets", ids.offsets);
  write("idBytes", ids.bytes);
  write("idSlots", buildIdSlots(ids.bytes, ids.offsets, idSlots));
  write("popularity", input.popularity);
  write("trending", input.trending);
  // Sorted on what the edge will read: the float32 values, not the input's doubles.
  write("popularOrder", orderBy(new Float32Array(input.popularity)));
  write("trendingOrder", orderBy(new Float32Array(input.trending)));
  write("categoryOffsets", categories.offsets);
  write("categoryIds", categories.ids);
  write("categoryItemOffsets", categories.itemOffsets);
  write("categoryItems", categories.items);
  write("price", input.price ?? new Float32Array(items).fill(Number.NaN));
  write("sentimentMean", input.sentiment?.mean ?? new Float32Array(items).fill(Number.NaN));
  write("sentimentCount", input.sentiment?.count ?? new Uint32Array(items));
  if (embedding) {
    write("embeddings", embedding.data);
    write("embeddingScales", embedding.scales);
  }
  if (input.content) {
    const quantized = quantizePerRow(input.content.vectors, items, input.content.dim);
    write("contentVectors", quantized.data);
    write("contentScales", quantized.scales);
  }
  if (index && centroids && plan) {
    write("ivfCentroids", centroids.data);
    write("ivfCentroidScales", centroids.scales);
    write("ivfBias", plan.bias);
    write("ivfOffsets", plan.offsets);
  }
  decodeCatalog(out, { verifyIds: true });
  return out;
}

/** The catalogue an encoder input becomes, decoded: what the edge will see (handy for tests and tools). */
export function roundTripCatalog(input: CatalogInput): Catalog {
  return decodeCatalog(encodeCatalog(input));
}

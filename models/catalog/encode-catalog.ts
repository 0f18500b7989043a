/**
 * Encodes an item catalogue at publish time (see catalog-format.ts for the layout). Vector tables arrive as
 * float32 (what the trainers produce) and are quantized here, per row, with the same symmetric int8 scheme as
 * the models (models/onnx/quantize.ts), so the edge's int8 kernel scores exactly the published table.
 *
 * Validation: lengths are checked before writing; every value-level rule (finite scores, prices, sentiment
 * ranges, unique ids, header bounds) is checked by decoding the result, so the encoder can never publish a
 * buffer the edge would reject and the two sides share one definition of "valid".
 */
import { quantizePerRow } from "../onnx/quantize.ts";
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
  /** Content vectors from item text. */
  content?: VectorTableInput;
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
    refs.push(...own);
    offsets[i + 1] = refs.length;
  }
  return { names, offsets, ids: Uint32Array.from(refs) };
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

export function encodeCatalog(input: CatalogInput): Uint8Array {
  assertLittleEndian();
  const items = input.itemIds.length;
  checkLength("popularity", input.popularity.length, items);
  checkLength("trending", input.trending.length, items);
  checkLength("categories", input.categories?.length ?? items, items);
  checkLength("price", input.price?.length ?? items, items);
  checkLength("sentiment mean", input.sentiment?.mean.length ?? items, items);
  checkLength("sentiment count", input.sentiment?.count.length ?? items, items);
  checkTable("embedding", input.embedding, items);
  checkTable("content", input.content, items);
  // A uint32 section would silently wrap a negative or fractional count, so these are checked up front.
  for (let i = 0; i < items && input.sentiment; i++) {
    const count = input.sentiment.count[i]!;
    if (!Number.isInteger(count) || count < 0 || count > 0xffff_ffff) {
      throw new CatalogFormatError(`cannot encode catalogue: review count of item ${i} is ${count}`);
    }
  }

  const ids = encodeIds(input.itemIds);
  const categories = buildCategories(input.categories, items);
  const header: CatalogHeader = {
    version: input.version,
    createdAt: input.createdAt ?? new Date().toISOString(),
    items,
    idBytes: ids.bytes.length,
    embedding: tableHeader(input.embedding),
    content: tableHeader(input.content),
    categories: categories.names,
    categoryRefs: categories.ids.length,
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
  write("popularity", input.popularity);
  write("trending", input.trending);
  write("categoryOffsets", categories.offsets);
  write("categoryIds", categories.ids);
  write("price", input.price ?? new Float32Array(items).fill(Number.NaN));
  write("sentimentMean", input.sentiment?.mean ?? new Float32Array(items).fill(Number.NaN));
  write("sentimentCount", input.sentiment?.count ?? new Uint32Array(items));
  for (const [table, values, scales] of [
    [input.embedding, "embeddings", "embeddingScales"],
    [input.content, "contentVectors", "contentScales"],
  ] as const) {
    if (table) {
      const quantized = quantizePerRow(table.vectors, items, table.dim);
      write(values, quantized.data);
      write(scales, quantized.scales);
    }
  }
  decodeCatalog(out);
  return out;
}

/** The catalogue an encoder input becomes, decoded: what the edge will see (handy for tests and tools). */
export function roundTripCatalog(input: CatalogInput): Catalog {
  return decodeCatalog(encodeCatalog(input));
}

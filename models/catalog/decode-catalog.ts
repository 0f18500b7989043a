/**
 * Decodes a catalogue buffer into typed-array views of that same buffer (no copy unless the bytes sit at an
 * offset that a float32 view cannot start from). Decoding runs once per catalogue version per isolate, so it
 * checks everything a request would otherwise trip over later: lengths, CSR offsets, category ids, finite
 * scores and scales, unique ids. Any defect throws a CatalogFormatError saying what is wrong.
 */
import { z } from "zod";
import type { Catalog, ItemVectors } from "./catalog.ts";
import {
  assertLittleEndian,
  CATALOG_FORMAT_VERSION,
  CATALOG_MAGIC,
  CatalogFormatError,
  CatalogHeader,
  layoutCatalog,
  PREAMBLE_BYTES,
  type SectionName,
  type SectionPlacement,
  type VectorTableHeader,
} from "./catalog-format.ts";

// ignoreBOM keeps a leading U+FEFF in the data instead of dropping it, so decoded ids are exactly the encoded ones.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function fail(message: string): never {
  throw new CatalogFormatError(`invalid catalogue: ${message}`);
}

function readHeader(bytes: Uint8Array): { header: CatalogHeader; headerBytes: number } {
  if (bytes.length < PREAMBLE_BYTES) {
    fail(`truncated: ${bytes.length} bytes is shorter than the ${PREAMBLE_BYTES}-byte preamble`);
  }
  const magic = String.fromCharCode(bytes[0]!, bytes[1]!, bytes[2]!, bytes[3]!);
  if (magic !== CATALOG_MAGIC) {
    fail(`not an Edgewise catalogue (magic ${JSON.stringify(magic)}, expected "${CATALOG_MAGIC}")`);
  }
  if (bytes[4] !== CATALOG_FORMAT_VERSION) {
    fail(`format version ${bytes[4]} is not supported (this build reads version ${CATALOG_FORMAT_VERSION})`);
  }
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, PREAMBLE_BYTES).getUint32(8, true);
  if (PREAMBLE_BYTES + headerBytes > bytes.length) {
    fail(`truncated: the header needs ${headerBytes} bytes, only ${bytes.length - PREAMBLE_BYTES} follow`);
  }
  let json: unknown;
  try {
    const text = UTF8.decode(bytes.subarray(PREAMBLE_BYTES, PREAMBLE_BYTES + headerBytes));
    json = JSON.parse(text);
  } catch (error) {
    fail(`the header is not UTF-8 JSON (${(error as Error).message})`);
  }
  const parsed = CatalogHeader.safeParse(json);
  if (!parsed.success) {
    fail(`bad header: ${z.prettifyError(parsed.error)}`);
  }
  return { header: parsed.data, headerBytes };
}

type Views = {
  int8: Int8Array;
  uint8: Uint8Array;
  uint32: Uint32Array;
  float32: Float32Array;
};

function view<T extends keyof Views>(
  buffer: ArrayBuffer,
  base: number,
  at: SectionPlacement,
  type: T,
): Views[T] {
  const offset = base + at.offset;
  switch (type) {
    case "int8":
      return new Int8Array(buffer, offset, at.length) as Views[T];
    case "uint8":
      return new Uint8Array(buffer, offset, at.length) as Views[T];
    case "uint32":
      return new Uint32Array(buffer, offset, at.length) as Views[T];
    default:
      return new Float32Array(buffer, offset, at.length) as Views[T];
  }
}

function checkOffsets(offsets: Uint32Array, end: number, what: string, strictly: boolean): void {
  if (offsets[0] !== 0 || offsets[offsets.length - 1] !== end) {
    fail(`${what} offsets must run from 0 to ${end}`);
  }
  for (let i = 1; i < offsets.length; i++) {
    if (offsets[i]! < offsets[i - 1]! || (strictly && offsets[i] === offsets[i - 1])) {
      fail(`${what} offsets decrease at item ${i - 1}${strictly ? " (or its id is empty)" : ""}`);
    }
  }
}

/** Largest value, after checking each is finite and ≥ 0 (NaN allowed where `allowNaN`). */
function checkNonNegative(values: Float32Array, what: string, allowNaN = false): number {
  let max = 0;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    if (allowNaN && Number.isNaN(v)) {
      continue;
    }
    if (!(Number.isFinite(v) && v >= 0)) {
      fail(`${what} of item ${i} is ${v}: expected a finite number ≥ 0`);
    }
    max = Math.max(max, v);
  }
  return max;
}

function decodeIds(idBytes: Uint8Array, offsets: Uint32Array, items: number): string[] {
  let all: string;
  try {
    all = UTF8.decode(idBytes);
  } catch {
    return fail("item ids are not valid UTF-8");
  }
  // One string per code unit per byte means every byte is ASCII, so byte offsets are string offsets.
  const ascii = all.length === idBytes.length;
  const ids = new Array<string>(items);
  for (let i = 0; i < items; i++) {
    const start = offsets[i]!;
    const end = offsets[i + 1]!;
    ids[i] = ascii ? all.slice(start, end) : UTF8.decode(idBytes.subarray(start, end));
  }
  return ids;
}

function indexBy(names: readonly string[], what: string): Map<string, number> {
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (index.has(name)) {
      fail(`${what} ${JSON.stringify(name)} appears twice`);
    }
    index.set(name, i);
  });
  return index;
}

export function decodeCatalog(source: ArrayBuffer | Uint8Array): Catalog {
  assertLittleEndian();
  let bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  const { header, headerBytes } = readHeader(bytes);
  const layout = layoutCatalog(header, headerBytes);
  if (bytes.length < layout.totalBytes) {
    fail(`truncated: the header describes ${layout.totalBytes} bytes, the buffer has ${bytes.length}`);
  }
  if (bytes.length > layout.totalBytes) {
    fail(`${bytes.length - layout.totalBytes} bytes follow the last section: header and data disagree`);
  }
  if (bytes.byteOffset % 8 !== 0) {
    bytes = bytes.slice();
  }
  const { buffer, byteOffset: base } = bytes;
  const s = layout.sections;
  const at = <T extends keyof Views>(name: SectionName, type: T) =>
    view(buffer as ArrayBuffer, base, s[name], type);
  const items = header.items;

  const idOffsets = at("idOffsets", "uint32");
  checkOffsets(idOffsets, header.idBytes, "item id", true);
  const itemIds = decodeIds(at("idBytes", "uint8"), idOffsets, items);
  const idIndex = indexBy(itemIds, "item id");

  const categoryOffsets = at("categoryOffsets", "uint32");
  checkOffsets(categoryOffsets, header.categoryRefs, "category", false);
  const categoryIds = at("categoryIds", "uint32");
  for (let r = 0; r < categoryIds.length; r++) {
    if (categoryIds[r]! >= header.categories.length) {
      fail(`category id ${categoryIds[r]} is outside the ${header.categories.length} category names`);
    }
  }
  const categoryIndex = indexBy(header.categories, "category");

  const popularity = at("popularity", "float32");
  const trending = at("trending", "float32");
  const price = at("price", "float32");
  checkNonNegative(price, "price", true);
  const sentimentMean = at("sentimentMean", "float32");
  const sentimentCount = at("sentimentCount", "uint32");
  for (let i = 0; i < items; i++) {
    const mean = sentimentMean[i]!;
    const valid = sentimentCount[i] === 0 ? Number.isNaN(mean) : mean >= 0 && mean <= 1;
    if (!valid) {
      fail(
        `sentiment of item ${i} is ${mean} over ${sentimentCount[i]} reviews (NaN iff no review, else [0, 1])`,
      );
    }
  }

  const vectors = (
    meta: VectorTableHeader | null,
    values: SectionName,
    scales: SectionName,
  ): ItemVectors | null => {
    if (meta === null) {
      return null;
    }
    const table = { ...meta, values: at(values, "int8"), scales: at(scales, "float32") };
    for (let i = 0; i < items; i++) {
      if (!(Number.isFinite(table.scales[i]!) && table.scales[i]! > 0)) {
        fail(`${meta.model} scale of item ${i} is ${table.scales[i]}: expected a finite number > 0`);
      }
    }
    return table;
  };

  return {
    header,
    items,
    itemIds,
    indexOf: (itemId) => idIndex.get(itemId) ?? -1,
    embedding: vectors(header.embedding, "embeddings", "embeddingScales"),
    content: vectors(header.content, "contentVectors", "contentScales"),
    popularity,
    trending,
    maxPopularity: checkNonNegative(popularity, "popularity"),
    maxTrending: checkNonNegative(trending, "trending"),
    categoryNames: header.categories,
    categoryId: (name) => categoryIndex.get(name) ?? -1,
    categoryOffsets,
    categoryIds,
    price,
    sentimentMean,
    sentimentCount,
  };
}

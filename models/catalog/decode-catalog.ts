/**
 * Decodes a catalogue buffer into typed-array views of that same buffer (no copy unless the bytes sit at an
 * offset that a float32 view cannot start from). Decoding runs once per catalogue version per isolate, so it
 * checks everything a request would otherwise trip over later: lengths, offsets and every stored index in
 * range, finite scores and scales. Any defect throws a CatalogFormatError saying what is wrong.
 *
 * `verifyIds` also decodes every id (valid UTF-8), checks that each is found at its own index through the
 * hash table (so ids are unique and the table complete) and that the cold-start orders are permutations.
 * The encoder always does (it decodes what it wrote before returning it); the edge does not, because that
 * is O(items) hashing on the first request, and the bytes it reads are the encoder's, checked by SHA-256.
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
import { IdTable } from "./id-table.ts";
import type { IvfIndex } from "./ivf-index.ts";

// ignoreBOM keeps a leading U+FEFF in the data instead of dropping it, so decoded ids are exactly the encoded ones.
const UTF8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

function fail(message: string): never {
  throw new CatalogFormatError(`invalid catalogue: ${message}`);
}

/** The header of a catalogue buffer, checked (magic, version, schema), and its length in bytes. */
export function readCatalogHeader(bytes: Uint8Array): { header: CatalogHeader; headerBytes: number } {
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

function checkBelow(values: Uint32Array, bound: number, what: string, allowZeroAsNone = false): void {
  for (let i = 0; i < values.length; i++) {
    // `allowZeroAsNone`: id slots store index + 1, so their bound is inclusive.
    if (allowZeroAsNone ? values[i]! > bound : values[i]! >= bound) {
      fail(`${what} ${values[i]} at ${i} is out of range (${allowZeroAsNone ? "≤" : "<"} ${bound})`);
    }
  }
}

function checkPermutation(order: Uint32Array, what: string): void {
  const seen = new Uint8Array(order.length);
  for (const i of order) {
    if (seen[i] === 1) {
      fail(`${what} lists item ${i} twice`);
    }
    seen[i] = 1;
  }
}

function decodedId(itemId: (i: number) => string, i: number): string {
  try {
    return itemId(i);
  } catch {
    return fail(`item id ${i} is not valid UTF-8`);
  }
}

function verifyIdTable(ids: IdTable, itemId: (i: number) => string, items: number): void {
  for (let i = 0; i < items; i++) {
    const id = decodedId(itemId, i);
    const found = ids.indexOf(id);
    if (found !== i) {
      fail(
        `item id ${JSON.stringify(id)} ${found >= 0 ? `appears twice (items ${found} and ${i})` : "is missing from the id table"}`,
      );
    }
  }
}

function categoryIndex(names: readonly string[]): Map<string, number> {
  const index = new Map<string, number>();
  names.forEach((name, i) => {
    if (index.has(name)) {
      fail(`category ${JSON.stringify(name)} appears twice`);
    }
    index.set(name, i);
  });
  return index;
}

export interface DecodeOptions {
  /** Check every id (UTF-8, unique, found through the table) and the orders' permutations: O(items). */
  verifyIds?: boolean;
  /**
   * Skip every O(items) check, keeping those of the header and the layout: for bytes whose SHA-256 matched
   * the manifest (the edge), which the encoder wrote only after decoding them with every check.
   */
  trusted?: boolean;
}

function checkSentiment(mean: Float32Array, count: Uint32Array): void {
  for (let i = 0; i < mean.length; i++) {
    const valid = count[i] === 0 ? Number.isNaN(mean[i]!) : mean[i]! >= 0 && mean[i]! <= 1;
    if (!valid) {
      fail(`sentiment of item ${i} is ${mean[i]} over ${count[i]} reviews (NaN iff no review, else [0, 1])`);
    }
  }
}

function checkDescending(values: Float32Array, order: Uint32Array, what: string): void {
  for (let j = 1; j < order.length; j++) {
    if (values[order[j]!]! > values[order[j - 1]!]!) {
      fail(`${what} is not sorted at position ${j}`);
    }
  }
}

export function decodeCatalog(source: ArrayBuffer | Uint8Array, options: DecodeOptions = {}): Catalog {
  assertLittleEndian();
  let bytes = source instanceof Uint8Array ? source : new Uint8Array(source);
  const { header, headerBytes } = readCatalogHeader(bytes);
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

  // Trusted bytes (their SHA-256 matched a manifest the origin wrote after decoding them itself, with
  // every check) skip the O(items) checks: loading a catalogue then costs no pass over its items.
  const check = options.trusted ? () => {} : (run: () => void) => run();
  const idOffsets = at("idOffsets", "uint32");
  check(() => checkOffsets(idOffsets, header.idBytes, "item id", true));
  const idBytes = at("idBytes", "uint8");
  const idSlots = at("idSlots", "uint32");
  check(() => checkBelow(idSlots, items, "id slot", true));
  const ids = new IdTable(idBytes, idOffsets, idSlots);
  const itemId = (i: number) => UTF8.decode(idBytes.subarray(idOffsets[i]!, idOffsets[i + 1]!));

  const categoryOffsets = at("categoryOffsets", "uint32");
  check(() => checkOffsets(categoryOffsets, header.categoryRefs, "category", false));
  const categoryIds = at("categoryIds", "uint32");
  check(() => checkBelow(categoryIds, header.categories.length, "category id"));
  const categoryItemOffsets = at("categoryItemOffsets", "uint32");
  check(() => checkOffsets(categoryItemOffsets, header.categoryRefs, "category posting", false));
  const categoryItems = at("categoryItems", "uint32");
  check(() => checkBelow(categoryItems, items, "category posting item"));
  const categories = categoryIndex(header.categories);
  const popularOrder = at("popularOrder", "uint32");
  const trendingOrder = at("trendingOrder", "uint32");
  check(() => checkBelow(popularOrder, items, "popular order item"));
  check(() => checkBelow(trendingOrder, items, "trending order item"));

  const popularity = at("popularity", "float32");
  const trending = at("trending", "float32");
  const price = at("price", "float32");
  check(() => checkNonNegative(price, "price", true));
  const sentimentMean = at("sentimentMean", "float32");
  const sentimentCount = at("sentimentCount", "uint32");
  check(() => checkSentiment(sentimentMean, sentimentCount));
  check(() => checkNonNegative(popularity, "popularity"));
  check(() => checkNonNegative(trending, "trending"));
  check(() => checkDescending(popularity, popularOrder, "the popular order"));
  check(() => checkDescending(trending, trendingOrder, "the trending order"));

  const vectors = (
    meta: VectorTableHeader | null,
    values: SectionName,
    scales: SectionName,
  ): ItemVectors | null => {
    if (meta === null) {
      return null;
    }
    const table = { ...meta, values: at(values, "int8"), scales: at(scales, "float32") };
    check(() => checkScales(table.scales, `${meta.model} scale of item`));
    return table;
  };
  const embedding = vectors(header.embedding, "embeddings", "embeddingScales");
  const index = ivfIndex(
    header,
    (name) => at(name, name === "ivfCentroids" ? "int8" : name === "ivfOffsets" ? "uint32" : "float32"),
    check,
  );
  if (options.verifyIds) {
    verifyIdTable(ids, itemId, items);
    checkPermutation(popularOrder, "the popular order");
    checkPermutation(trendingOrder, "the trending order");
  }

  return {
    header,
    items,
    bytes: new Uint8Array(buffer as ArrayBuffer, base, layout.totalBytes),
    itemId,
    indexOf: (id) => ids.indexOf(id),
    embedding,
    content: vectors(header.content, "contentVectors", "contentScales"),
    index,
    popularity,
    trending,
    // The orders put the largest first (checked above unless trusted).
    maxPopularity: items > 0 ? popularity[popularOrder[0]!]! : 0,
    maxTrending: items > 0 ? trending[trendingOrder[0]!]! : 0,
    popularOrder,
    trendingOrder,
    categoryNames: header.categories,
    categoryId: (name) => categories.get(name) ?? -1,
    categoryOffsets,
    categoryIds,
    categoryItemOffsets,
    categoryItems,
    price,
    sentimentMean,
    sentimentCount,
  };
}

function checkScales(scales: Float32Array, what: string): void {
  for (let i = 0; i < scales.length; i++) {
    if (!(Number.isFinite(scales[i]!) && scales[i]! > 0)) {
      fail(`${what} ${i} is ${scales[i]}: expected a finite number > 0`);
    }
  }
}

type IvfSection = "ivfCentroids" | "ivfCentroidScales" | "ivfBias" | "ivfOffsets";

function ivfIndex(
  header: CatalogHeader,
  at: (name: IvfSection) => Int8Array | Float32Array | Uint32Array,
  check: (run: () => void) => void,
): IvfIndex | null {
  const meta = header.index;
  if (meta === null) {
    return null;
  }
  if (header.embedding === null) {
    fail("an IVF index needs the embedding table it indexes");
  }
  const offsets = at("ivfOffsets") as Uint32Array;
  check(() => checkOffsets(offsets, header.items, "IVF list", false));
  const centroidScales = at("ivfCentroidScales") as Float32Array;
  check(() => checkScales(centroidScales, "IVF centroid scale of list"));
  const bias = at("ivfBias") as Float32Array;
  check(() => {
    for (let l = 0; l < bias.length; l++) {
      if (!Number.isFinite(bias[l]!)) {
        fail(`IVF bias of list ${l} is ${bias[l]}`);
      }
    }
  });
  return {
    lists: meta.lists,
    centroids: at("ivfCentroids") as Int8Array,
    centroidScales,
    bias,
    offsets,
    maxNorm: meta.maxNorm,
    probeRows: meta.probeRows,
    recall: meta.recall,
  };
}

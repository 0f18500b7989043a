/**
 * The item catalogue's binary layout, shared by the encoder (origin, at publish time) and the decoder (edge):
 *
 *   bytes 0–3    magic "EWCT"
 *   byte  4      format version (CATALOG_FORMAT_VERSION)
 *   bytes 5–7    zero
 *   bytes 8–11   header length H in bytes, uint32 little-endian
 *   bytes 12…    header: UTF-8 JSON (CatalogHeader)
 *   then the sections of SECTION_SPECS in order, each starting on an 8-byte boundary, little-endian.
 *
 * Version 2 (one copy in the kernel's memory): item ids are found through an open-addressing hash table
 * stored in the file (`idSlots`) instead of a map built at load, cold-start orders and per-category posting
 * lists are precomputed, and catalogues above the exact-scan threshold carry an IVF index (`index`) with the
 * items stored list by list, so every structure the edge needs is a view of the bytes it read.
 *
 * Why the header holds counts rather than offsets: both sides derive every offset from the same counts with
 * `layoutCatalog`, so an encoder and a decoder can never disagree about where a section starts, and a
 * buffer of any other length is truncated or corrupt by construction. Why 8-byte alignment: every section
 * then maps to a typed-array view of the one buffer with no copy (float32/uint32 views need 4).
 */
import { z } from "zod";

export const CATALOG_MAGIC = "EWCT";
export const CATALOG_FORMAT_VERSION = 2;
export const PREAMBLE_BYTES = 12;
const SECTION_ALIGN_BYTES = 8;

/** Bounds that keep every size a safe integer and every table within one wasm32 memory. */
export const CATALOG_LIMITS = {
  items: 1 << 24,
  dim: 4096,
  categories: 1 << 20,
  categoryChars: 128,
  versionChars: 64,
  lists: 1 << 16,
} as const;

const VectorTable = z.object({
  /** Which model produced the vectors and its version: only vectors of the same version are comparable. */
  model: z.string().min(1).max(CATALOG_LIMITS.versionChars),
  version: z.string().min(1).max(CATALOG_LIMITS.versionChars),
  dim: z.int().min(1).max(CATALOG_LIMITS.dim),
});
export type VectorTableHeader = z.infer<typeof VectorTable>;

const IvfHeader = z.object({
  kind: z.literal("ivf"),
  /** Inverted lists; items are stored list by list, so list l is rows ivfOffsets[l] .. ivfOffsets[l + 1]. */
  lists: z.int().min(1).max(CATALOG_LIMITS.lists),
  /**
   * The largest item norm M: lists are ranked for a query q by M·⟨q/‖q‖, c⟩ + bias, the distance to the
   * centroid in the space where inner product becomes Euclidean distance (see ivf-index.ts).
   */
  maxNorm: z.number().positive(),
  /** Rows a probe scans by default: the smallest budget that reached the recall target at publish time. */
  probeRows: z.int().min(1),
  /** What probeRows found at publish time: the share of the exact top 100 over sample queries. */
  recall: z.number().min(0).max(1),
});
export type IvfHeader = z.infer<typeof IvfHeader>;

export const CatalogHeader = z.object({
  /** The catalogue's own version (the publish that wrote it), reported with every decision. */
  version: z.string().min(1).max(CATALOG_LIMITS.versionChars),
  createdAt: z.string(),
  items: z.int().min(0).max(CATALOG_LIMITS.items),
  /** Length of the UTF-8 blob holding every item id. */
  idBytes: z.int().min(0),
  /** The recommendation model's item embeddings (int8, per-row scales), or null when none is trained yet. */
  embedding: VectorTable.nullable(),
  /** The fused content vectors (categories, words, images, encoders, item2vec; see the manifest's contentVectors); optional. */
  content: VectorTable.nullable(),
  /** Category names; items refer to them by position. */
  categories: z.array(z.string().min(1).max(CATALOG_LIMITS.categoryChars)).max(CATALOG_LIMITS.categories),
  /** Total number of (item, category) pairs. */
  categoryRefs: z.int().min(0),
  /** Slots of the item id hash table: a power of two, more than the items (see id-table.ts). */
  idSlots: z
    .int()
    .min(1)
    .max(2 ** 26),
  /** The IVF index over the embedding table, or null: the edge then scans every row (ivf-index.ts). */
  index: IvfHeader.nullable(),
});
export type CatalogHeader = z.infer<typeof CatalogHeader>;

export type ElementType = "int8" | "uint8" | "uint32" | "float32";
const BYTES_PER_ELEMENT: Readonly<Record<ElementType, number>> = { int8: 1, uint8: 1, uint32: 4, float32: 4 };

interface SectionSpec {
  type: ElementType;
  length: (header: CatalogHeader) => number;
}

const embeddingDim = (h: CatalogHeader) => h.embedding?.dim ?? 0;
const contentDim = (h: CatalogHeader) => h.content?.dim ?? 0;
const lists = (h: CatalogHeader) => h.index?.lists ?? 0;

/** Every section, in file order, with its element type and element count. */
export const SECTION_SPECS = {
  /** idBytes[idOffsets[i] .. idOffsets[i + 1]] is item i's id. */
  idOffsets: { type: "uint32", length: (h) => h.items + 1 },
  idBytes: { type: "uint8", length: (h) => h.idBytes },
  /** Open addressing: slot → item index + 1 (0 is empty), probed linearly from the id's hash (id-table.ts). */
  idSlots: { type: "uint32", length: (h) => h.idSlots },
  embeddings: { type: "int8", length: (h) => h.items * embeddingDim(h) },
  embeddingScales: { type: "float32", length: (h) => (h.embedding ? h.items : 0) },
  popularity: { type: "float32", length: (h) => h.items },
  trending: { type: "float32", length: (h) => h.items },
  /** Every item by popularity, then by trending score, best first (equal scores by lower index). */
  popularOrder: { type: "uint32", length: (h) => h.items },
  trendingOrder: { type: "uint32", length: (h) => h.items },
  /** categoryIds[categoryOffsets[i] .. categoryOffsets[i + 1]] are item i's categories (CSR). */
  categoryOffsets: { type: "uint32", length: (h) => h.items + 1 },
  categoryIds: { type: "uint32", length: (h) => h.categoryRefs },
  /** The inverse, per category: categoryItems[categoryItemOffsets[c] .. categoryItemOffsets[c + 1]], ascending. */
  categoryItemOffsets: { type: "uint32", length: (h) => h.categories.length + 1 },
  categoryItems: { type: "uint32", length: (h) => h.categoryRefs },
  /** NaN where the price is unknown. */
  price: { type: "float32", length: (h) => h.items },
  /** Mean positive-review probability in [0, 1]; NaN when the item has no review. */
  sentimentMean: { type: "float32", length: (h) => h.items },
  sentimentCount: { type: "uint32", length: (h) => h.items },
  contentVectors: { type: "int8", length: (h) => h.items * contentDim(h) },
  contentScales: { type: "float32", length: (h) => (h.content ? h.items : 0) },
  /** IVF centroids, int8 with a scale per list like the items, and each list's ranking bias. */
  ivfCentroids: { type: "int8", length: (h) => lists(h) * embeddingDim(h) },
  ivfCentroidScales: { type: "float32", length: lists },
  ivfBias: { type: "float32", length: lists },
  ivfOffsets: { type: "uint32", length: (h) => (h.index ? h.index.lists + 1 : 0) },
} as const satisfies Record<string, SectionSpec>;

export type SectionName = keyof typeof SECTION_SPECS;
export const SECTION_NAMES = Object.keys(SECTION_SPECS) as SectionName[];

export interface SectionPlacement {
  /** Byte offset from the start of the catalogue. */
  offset: number;
  /** Element count. */
  length: number;
  type: ElementType;
}

export interface CatalogLayout {
  sections: Record<SectionName, SectionPlacement>;
  totalBytes: number;
}

const align = (offset: number) => Math.ceil(offset / SECTION_ALIGN_BYTES) * SECTION_ALIGN_BYTES;

/** Where each section lives for a header that encodes to `headerBytes` bytes of JSON. */
export function layoutCatalog(header: CatalogHeader, headerBytes: number): CatalogLayout {
  let offset = align(PREAMBLE_BYTES + headerBytes);
  const sections = {} as Record<SectionName, SectionPlacement>;
  for (const name of SECTION_NAMES) {
    const spec: SectionSpec = SECTION_SPECS[name];
    const length = spec.length(header);
    sections[name] = { offset, length, type: spec.type };
    offset = align(offset + length * BYTES_PER_ELEMENT[spec.type]);
  }
  return { sections, totalBytes: offset };
}

/** Every defect of a catalogue buffer or of an encoder's input surfaces as this, with a readable message. */
export class CatalogFormatError extends Error {
  override name = "CatalogFormatError";
}

/** Typed arrays are host-endian; every runtime Edgewise targets (x86-64, arm64, wasm) is little-endian. */
export function assertLittleEndian(): void {
  if (new Uint8Array(new Uint16Array([1]).buffer)[0] !== 1) {
    throw new CatalogFormatError("the catalogue format needs a little-endian host");
  }
}

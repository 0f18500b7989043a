/** The item catalogue the edge loads: one binary value per version, encoded at publish time, decoded at the edge. */
export type { Catalog, ItemVectors } from "./catalog.ts";
export {
  CATALOG_FORMAT_VERSION,
  CATALOG_LIMITS,
  CatalogFormatError,
  CatalogHeader,
  type IvfHeader,
  type VectorTableHeader,
} from "./catalog-format.ts";
export { type DecodeOptions, decodeCatalog, readCatalogHeader } from "./decode-catalog.ts";
export {
  type CatalogInput,
  encodeCatalog,
  type IndexOptions,
  roundTripCatalog,
  type VectorTableInput,
} from "./encode-catalog.ts";
export { IdTable } from "./id-table.ts";
export {
  INDEX_MIN_ITEMS,
  type Int8Rows,
  type IvfIndex,
  int8Score,
  listGamma,
  PROBE_RECALL_TARGET,
  RECALL_AT,
  rankLists,
} from "./ivf-index.ts";
export {
  catalogKernelBytes,
  EXCLUDE_BATCH,
  kernelRegionBytes,
  MAX_RESULTS,
  MAX_RULE_CATEGORIES,
} from "./kernel-memory.ts";

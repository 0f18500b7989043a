/** The item catalogue the edge loads: one binary value per version, encoded at publish time, decoded at the edge. */
export type { Catalog, ItemVectors } from "./catalog.ts";
export {
  CATALOG_FORMAT_VERSION,
  CATALOG_LIMITS,
  CatalogFormatError,
  CatalogHeader,
  type VectorTableHeader,
} from "./catalog-format.ts";
export { decodeCatalog } from "./decode-catalog.ts";
export {
  type CatalogInput,
  encodeCatalog,
  roundTripCatalog,
  type VectorTableInput,
} from "./encode-catalog.ts";

/**
 * Each user's seen set for the edge (models/seen): every item of their history as an index into the
 * catalogue this run publishes. The indices are the encoded catalogue's, read back from its bytes: with
 * an IVF index the encoder stores items list by list, so the log's item order is not the catalogue's.
 */
import { decodeCatalog } from "../../../models/catalog/index.ts";
import type { UserFeatures } from "../../../models/contracts/index.ts";
import { encodeSeenIndices } from "../../../models/seen/index.ts";
import type { ItemRow } from "../../ingest/index.ts";

/** Where the published catalogue stores each log item, and its version (what a seen set is valid for). */
export interface CatalogPositions {
  version: string;
  /** Log item index → catalogue index. */
  indexOf: Int32Array;
}

export function catalogPositions(catalogBytes: Uint8Array, items: readonly ItemRow[]): CatalogPositions {
  const catalog = decodeCatalog(catalogBytes);
  const indexOf = Int32Array.from(items, (item) => catalog.indexOf(item.itemId));
  const missing = indexOf.indexOf(-1);
  if (missing >= 0) {
    // The catalogue is built from these very items; a miss is a bug, and a wrapped index would hide the wrong item.
    throw new Error(`item ${items[missing]!.itemId} is not in the catalogue it was published with`);
  }
  return { version: catalog.header.version, indexOf };
}

/** A user's seen set from their history (log item indices, any order, distinct). */
export function seenSet(history: Int32Array, catalog: CatalogPositions): NonNullable<UserFeatures["seen"]> {
  const indices = Uint32Array.from(history, (i) => catalog.indexOf[i]!).sort();
  return { catalog: catalog.version, count: indices.length, indices: encodeSeenIndices(indices) };
}

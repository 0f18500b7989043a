/**
 * The items a user has seen, as the decision engine excludes them. The record's seen set (every item of
 * the training window, models/seen) decodes straight into sorted catalogue indices, no id strings built,
 * but only against the catalogue it was written for: the same indices are other items in another one. So
 * a seen set of another catalogue, or one that does not decode, gives way to the record's recent ids,
 * and the answer says it is degraded; a record written before seen sets existed uses its ids silently.
 */
import type { Catalog } from "../../models/catalog/index.ts";
import type { UserFeatures } from "../../models/contracts/index.ts";
import { decodeSeenIndices, SeenIndicesError } from "../../models/seen/index.ts";
import type { DegradedCause } from "./types.ts";

export interface SeenItems {
  /** Catalogue indices, ascending, without duplicates. */
  indices: Uint32Array;
  /** Item ids still to look up in the catalogue (the fallback). */
  ids: readonly string[];
  /** Why the seen set was not used, when the record has one. */
  problem: DegradedCause | null;
}

export const NOTHING_SEEN: SeenItems = { indices: new Uint32Array(0), ids: [], problem: null };

export function seenItems(user: UserFeatures | null, catalog: Catalog): SeenItems {
  const seen = user?.seen;
  const recent = user?.recentItems ?? [];
  if (seen === undefined) {
    return { indices: NOTHING_SEEN.indices, ids: recent, problem: null };
  }
  const version = catalog.header.version;
  if (seen.catalog !== version) {
    const message = `the user's seen set indexes catalogue ${seen.catalog}, not ${version}: only their ${recent.length} most recent items are left out`;
    return { indices: NOTHING_SEEN.indices, ids: recent, problem: { code: "seen_set_stale", message } };
  }
  try {
    return { indices: decodeSeenIndices(seen.indices, seen.count, catalog.items), ids: [], problem: null };
  } catch (error) {
    if (!(error instanceof SeenIndicesError)) {
      throw error;
    }
    const message = `the user's seen set is unreadable (${error.message}): only their ${recent.length} most recent items are left out`;
    return { indices: NOTHING_SEEN.indices, ids: recent, problem: { code: "seen_set_invalid", message } };
  }
}

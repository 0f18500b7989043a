/**
 * What users' seen sets cost in their records: the JSON bytes of each record's `seen` field as published
 * (version tag and count included), beside the same items as a JSON list of ids, what the record held
 * before. Median, p99 and max over the users that have one.
 */
import type { UserFeatures } from "../../models/contracts/index.ts";
import { decodeSeenIndices } from "../../models/seen/index.ts";
import { median, quantile } from "./stats.ts";

export interface SeenSetBytes {
  users: number;
  items: { median: number; p99: number; max: number };
  bytes: { median: number; p99: number; max: number };
  /** The same items as a JSON array of their ids. */
  idListBytes: { median: number; p99: number; max: number };
}

const utf8 = new TextEncoder();
const summary = (values: number[]) => ({
  median: median(values),
  p99: quantile(values, 0.99),
  max: Math.max(...values),
});

/** `itemId(i)`: the id at catalogue index i of the catalogue the sets index. */
export function seenSetBytes(
  users: readonly UserFeatures[],
  catalogItems: number,
  itemId: (index: number) => string,
): SeenSetBytes {
  const withSeen = users.flatMap((user) => (user.seen ? [user.seen] : []));
  const ids = withSeen.map((seen) =>
    Array.from(decodeSeenIndices(seen.indices, seen.count, catalogItems), itemId),
  );
  return {
    users: withSeen.length,
    items: summary(withSeen.map((seen) => seen.count)),
    bytes: summary(withSeen.map((seen) => utf8.encode(JSON.stringify(seen)).length)),
    idListBytes: summary(ids.map((list) => utf8.encode(JSON.stringify(list)).length)),
  };
}

/**
 * A shard of users as one KV text value: a JSON header line, then the users' packed records back to back.
 *
 *   {"format":1,"common":{…},"ids":["a","b",…],"ends":[312,590,…]}\n{record of a}{record of b}…
 *
 * `ids` is sorted (JavaScript string order) and `ends[i]` is where record i ends, counted in string
 * characters (UTF-16 code units) from the start of the records. The edge parses the header only, finds the
 * id by binary search and parses that one record: a shard of a hundred users costs one record's parse.
 *
 * A record too large to share a shard (a long seen set) is its own KV value, a shard of that one user;
 * its shard holds `{"$overflow":"<key>"}` in its place.
 */
import { z } from "zod";
import { compareIds } from "../compare-ids.ts";
import { USER_SHARD_FORMAT, type UserFeatures } from "../contracts/index.ts";
import { packUser, ShardCommon, unpackUser } from "./packed-user.ts";

const ShardHeader = z.object({
  format: z.literal(USER_SHARD_FORMAT),
  common: ShardCommon,
  ids: z.array(z.string().min(1)),
  ends: z.array(z.number().int().nonnegative()),
});

/** The field of a record that stands for a user stored in a value of its own. */
export const OVERFLOW_FIELD = "$overflow";

export interface ParsedUserShard {
  common: ShardCommon;
  ids: readonly string[];
  ends: readonly number[];
  records: string;
}

/** One user's packed record as it sits in a shard: what the publisher measures before it sizes shards. */
export function packedRecordText(user: UserFeatures, common: ShardCommon): string {
  return JSON.stringify(packUser(user, common));
}

/** A shard's text from its users' packed records; `records` need not be sorted. */
export function encodeUserShard(
  common: ShardCommon,
  records: ReadonlyArray<{ userId: string; text: string }>,
): string {
  const sorted = [...records].sort((a, b) => compareIds(a.userId, b.userId));
  const ends: number[] = [];
  let end = 0;
  for (const record of sorted) {
    end += record.text.length;
    ends.push(end);
  }
  const header = { format: USER_SHARD_FORMAT, common, ids: sorted.map((record) => record.userId), ends };
  return `${JSON.stringify(header)}\n${sorted.map((record) => record.text).join("")}`;
}

/** The shard's header and records, or the reason the value is not a shard. */
export function parseUserShard(text: string): ParsedUserShard | { error: string } {
  const newline = text.indexOf("\n");
  if (newline < 0) {
    return { error: "no header line" };
  }
  let header: unknown;
  try {
    header = JSON.parse(text.slice(0, newline));
  } catch {
    return { error: "the header is not JSON" };
  }
  const parsed = ShardHeader.safeParse(header);
  if (!parsed.success) {
    return { error: `bad header: ${parsed.error.message}` };
  }
  const { common, ids, ends } = parsed.data;
  const records = text.slice(newline + 1);
  if (ids.length !== ends.length || (ends.length > 0 && ends.at(-1) !== records.length)) {
    return { error: "the header's offsets do not match its records" };
  }
  return { common, ids, ends, records };
}

/**
 * The user's features from a parsed shard: null when the id is not in it, the key of the user's own value
 * when it is stored apart, an error when its record is not valid (one bad record costs that user only,
 * never the shard's other users).
 */
export function findUserInShard(
  shard: ParsedUserShard,
  userId: string,
): { user: UserFeatures } | { overflow: string } | { error: string } | null {
  let low = 0;
  let high = shard.ids.length - 1;
  while (low <= high) {
    const middle = (low + high) >>> 1;
    const order = compareIds(shard.ids[middle]!, userId);
    if (order === 0) {
      const start = middle === 0 ? 0 : shard.ends[middle - 1]!;
      let record: unknown;
      try {
        record = JSON.parse(shard.records.slice(start, shard.ends[middle]!));
      } catch {
        return { error: "its record is not JSON" };
      }
      const overflow = (record as Record<string, unknown> | null)?.[OVERFLOW_FIELD];
      return typeof overflow === "string" ? { overflow } : unpackUser(userId, record, shard.common);
    }
    if (order < 0) {
      low = middle + 1;
    } else {
      high = middle - 1;
    }
  }
  return null;
}

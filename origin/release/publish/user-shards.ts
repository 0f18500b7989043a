/**
 * A release's users as shards: each user's compact record (models/user-shards/), hashed into `count`
 * shards, each one KV value of at most 32 KiB (its text, compressed with raw DEFLATE), so the edge reads at
 * most 32 KiB for a user and a publish writes one value per shard instead of one per user.
 *
 * The count is chosen from the records' sizes and the compression a sample of them gets, so that shards
 * are about three quarters full (hashing fills them unevenly), and grown until the fullest shard fits. The previous release's count is kept while
 * it still fits and is not much too sparse: the same count keeps the same keys, so a shard whose bytes did
 * not change is not rewritten. A record too large for its share of a shard (over 4 KiB: a seen set of
 * thousands of items) is stored whole as a value of its own, which its shard points to, so the edge reads
 * it with a second read; only one over KV's 25 MiB value limit is left out, and counted.
 */
import { deflateRawSync } from "node:zlib";
import { compareIds } from "../../../models/compare-ids.ts";
import {
  kvKeys,
  USER_SHARD_FORMAT,
  USER_SHARD_HASH,
  type UserFeatures,
  type UserShardLayout,
} from "../../../models/contracts/index.ts";
import {
  commonOf,
  encodeUserShard,
  OVERFLOW_FIELD,
  packedRecordText,
  type ShardCommon,
  userShardOf,
} from "../../../models/user-shards/index.ts";
import { kvLimits, valueSizeBytes } from "./kv-limits.ts";
import type { KvWriter } from "./kv-writer.ts";
import { compareWithStored, hashedPair, type StoredComparison } from "./unchanged-keys.ts";

export const USER_SHARD_LIMITS = {
  /** One KV read at the edge: the compressed value. */
  maxShardBytes: 32 * 1024,
  /** The shard's text, as the edge holds it in its cache: eight times the value at most. */
  maxTextBytes: 256 * 1024,
  /** One user's share: a larger record is stored apart, so a few heavy users never crowd a shard. */
  maxRecordBytes: 4 * 1024,
  /** The average shard's fill the count aims for; the fullest shard must still fit. */
  targetFill: 0.75,
} as const;

/** zlib's fastest level: three times the speed of the default for about 6% larger shards. */
const SHARD_DEFLATE_LEVEL = 1;

export interface UserShardOptions {
  /** The serving release's shard count: kept while it fits, so unchanged shards keep their keys and bytes. */
  previousCount?: number;
  maxShardBytes?: number;
  maxRecordBytes?: number;
  /** The largest value stored apart; KV's value limit by default. */
  maxValueBytes?: number;
}

export interface UserShards {
  layout: UserShardLayout;
  /** Shard i's KV value, for every i below layout.count (an empty shard too: it replaces what KV held). */
  shards: Uint8Array[];
  /** The shards' mean text length, as the edge holds a shard inflated. */
  meanTextBytes: number;
  /** The values of users stored apart from their shard, under kvKeys.userOverflow. */
  overflow: Array<{ key: string; value: Uint8Array }>;
  /** Users left out: their record is over KV's value limit even compressed. */
  skippedUsers: string[];
}

interface SizedRecord {
  userId: string;
  text: string;
  /** The record, its id in the header and its offset: what it adds to a shard. */
  bytes: number;
  /** Set for a record stored apart: its value (a shard of this one user). */
  apart?: Uint8Array;
}

/** What a shard holds for a user stored apart: the pointer, with room for the key's digits. */
const POINTER_BYTES = 48;

export function planUserShards(users: readonly UserFeatures[], options: UserShardOptions = {}): UserShards {
  const maxShardBytes = options.maxShardBytes ?? USER_SHARD_LIMITS.maxShardBytes;
  const maxRecordBytes = options.maxRecordBytes ?? USER_SHARD_LIMITS.maxRecordBytes;
  const common = commonOf(users);
  const records: SizedRecord[] = [];
  const skippedUsers: string[] = [];
  for (const user of users) {
    const text = packedRecordText(user, common);
    const idBytes = valueSizeBytes(JSON.stringify(user.userId)) + 8;
    const textBytes = valueSizeBytes(text);
    if (textBytes <= maxRecordBytes) {
      records.push({ userId: user.userId, text, bytes: textBytes + idBytes });
      continue;
    }
    const apart = compressShard(encodeUserShard(common, [{ userId: user.userId, text }]));
    if (apart.length > (options.maxValueBytes ?? kvLimits.valueBytes)) {
      skippedUsers.push(user.userId);
      continue;
    }
    records.push({ userId: user.userId, text, bytes: POINTER_BYTES + idBytes, apart });
  }
  const headerBytes = valueSizeBytes(encodeUserShard(common, []));
  const totalBytes = records.reduce((sum, record) => sum + record.bytes, 0);
  const perShard = Math.min(
    maxShardBytes / compressionRatio(records, maxShardBytes),
    USER_SHARD_LIMITS.maxTextBytes,
  );
  const ideal = Math.max(1, Math.ceil(totalBytes / (perShard * USER_SHARD_LIMITS.targetFill - headerBytes)));
  const previous = options.previousCount;
  let count = previous !== undefined && previous <= 2 * ideal && previous > 0 ? previous : ideal;
  let planned = shardValues(records, common, count, maxShardBytes);
  while (planned === null) {
    count = count === previous ? Math.max(ideal, count + 1) : Math.ceil(count * 1.125);
    planned = shardValues(records, common, count, maxShardBytes);
  }
  return {
    layout: { format: USER_SHARD_FORMAT, hash: USER_SHARD_HASH, count, users: records.length },
    ...planned,
    skippedUsers,
  };
}

/** The shards' compressed values, or null when one of them is over a limit (the count must grow). */
function shardValues(
  records: readonly SizedRecord[],
  common: ShardCommon,
  count: number,
  maxShardBytes: number,
): Pick<UserShards, "shards" | "overflow" | "meanTextBytes"> | null {
  const buckets = Array.from({ length: count }, (): SizedRecord[] => []);
  for (const record of records) {
    buckets[userShardOf(record.userId, count)]!.push(record);
  }
  const overflow: UserShards["overflow"] = [];
  const texts = buckets.map((bucket, index) => {
    const apart = bucket.filter((record) => record.apart).sort((a, b) => compareIds(a.userId, b.userId));
    const pointers = new Map(
      apart.map((record, n) => [record.userId, kvKeys.userOverflow(count, index, n)] as const),
    );
    overflow.push(...apart.map((record) => ({ key: pointers.get(record.userId)!, value: record.apart! })));
    return encodeUserShard(
      common,
      bucket.map((record) => {
        const key = pointers.get(record.userId);
        return key === undefined
          ? record
          : { userId: record.userId, text: JSON.stringify({ [OVERFLOW_FIELD]: key }) };
      }),
    );
  });
  const textBytes = texts.map((text) => valueSizeBytes(text));
  if (textBytes.some((bytes) => bytes > USER_SHARD_LIMITS.maxTextBytes)) {
    return null;
  }
  // Largest first: a count too small fails on its fullest shard, before the others are compressed.
  const order = texts.map((_, index) => index).sort((a, b) => textBytes[b]! - textBytes[a]!);
  const shards = new Array<Uint8Array>(count);
  for (const index of order) {
    const value = compressShard(texts[index]!);
    if (value.length > maxShardBytes) {
      return null;
    }
    shards[index] = value;
  }
  const meanTextBytes = textBytes.reduce((sum, bytes) => sum + bytes, 0) / count;
  return { shards, overflow, meanTextBytes };
}

function compressShard(text: string): Uint8Array {
  return new Uint8Array(deflateRawSync(text, { level: SHARD_DEFLATE_LEVEL }));
}

/**
 * Compressed over raw bytes for a shard's worth of records (the first ones, three shards' worth at most):
 * what the count is planned with before the shards themselves are compressed and checked.
 */
function compressionRatio(records: readonly SizedRecord[], maxShardBytes: number): number {
  let sample = "";
  for (const record of records) {
    if (sample.length >= 3 * maxShardBytes) {
      break;
    }
    if (!record.apart) {
      sample += record.text;
    }
  }
  return sample === "" ? 1 : compressShard(sample).length / valueSizeBytes(sample);
}

/**
 * The shards and users stored apart to write: those whose bytes KV does not hold already under the same
 * key (sha256 compare).
 */
export async function changedShards(features: KvWriter, shards: UserShards): Promise<StoredComparison> {
  const { count } = shards.layout;
  const pairs = await Promise.all([
    ...shards.shards.map((value, i) => hashedPair(kvKeys.userShard(count, i), value)),
    ...shards.overflow.map(({ key, value }) => hashedPair(key, value)),
  ]);
  return compareWithStored(features, kvKeys.userShardPrefix(count), pairs);
}

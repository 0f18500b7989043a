/**
 * A release's users as shards: each user's compact record (models/user-shards/), hashed into `count`
 * shards, each one KV value of at most 32 KiB (its text, compressed with raw DEFLATE), so the edge reads at
 * most 32 KiB for a user and a publish writes one value per shard instead of one per user.
 *
 * The count is chosen from the records' sizes and the compression a sample of them gets, so that shards
 * are about three quarters full (hashing fills them unevenly), and grown until the fullest shard fits. The previous release's count is kept while
 * it still fits and is not much too sparse: the same count keeps the same keys, so a shard whose bytes did
 * not change is not rewritten. A record too large for its share of a shard (over 4 KiB) loses its oldest
 * recent items until it fits, or is left out when even that is not enough; both are counted.
 */
import { deflateRawSync } from "node:zlib";
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
  packedRecordText,
  type ShardCommon,
  userShardOf,
} from "../../../models/user-shards/index.ts";
import { valueSizeBytes } from "./kv-limits.ts";
import type { KvWriter } from "./kv-writer.ts";
import { compareWithStored, hashedPair, type StoredComparison } from "./unchanged-keys.ts";

export const USER_SHARD_LIMITS = {
  /** One KV read at the edge: the compressed value. */
  maxShardBytes: 32 * 1024,
  /** The shard's text, as the edge holds it in its cache: eight times the value at most. */
  maxTextBytes: 256 * 1024,
  /** One user's share: at 8 per shard even the largest records leave hashing room to spread them. */
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
}

export interface UserShards {
  layout: UserShardLayout;
  /** Shard i's KV value, for every i below layout.count (an empty shard too: it replaces what KV held). */
  shards: Uint8Array[];
  /** Users whose oldest recent items were dropped to fit their record. */
  trimmedUsers: number;
  /** Users left out: their record does not fit even without recent items. */
  skippedUsers: string[];
}

interface SizedRecord {
  userId: string;
  text: string;
  /** The record, its id in the header and its offset: what it adds to a shard. */
  bytes: number;
}

export function planUserShards(users: readonly UserFeatures[], options: UserShardOptions = {}): UserShards {
  const maxShardBytes = options.maxShardBytes ?? USER_SHARD_LIMITS.maxShardBytes;
  // A quarter shard at most, so that growing the count always ends with every shard fitting.
  const maxRecordBytes = Math.min(
    options.maxRecordBytes ?? USER_SHARD_LIMITS.maxRecordBytes,
    maxShardBytes / 4,
  );
  const common = commonOf(users);
  const records: SizedRecord[] = [];
  const skippedUsers: string[] = [];
  let trimmedUsers = 0;
  for (const user of users) {
    const fitted = fitRecord(user, common, maxRecordBytes);
    if (fitted === null) {
      skippedUsers.push(user.userId);
      continue;
    }
    trimmedUsers += fitted.trimmed ? 1 : 0;
    records.push({
      userId: user.userId,
      text: fitted.text,
      bytes: valueSizeBytes(fitted.text) + valueSizeBytes(JSON.stringify(user.userId)) + 8,
    });
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
  let shards = shardValues(records, common, count, maxShardBytes);
  while (shards === null) {
    count = count === previous ? Math.max(ideal, count + 1) : Math.ceil(count * 1.125);
    shards = shardValues(records, common, count, maxShardBytes);
  }
  return {
    layout: { format: USER_SHARD_FORMAT, hash: USER_SHARD_HASH, count, users: records.length },
    shards,
    trimmedUsers,
    skippedUsers,
  };
}

/** The shards' compressed values, or null when one of them is over a limit (the count must grow). */
function shardValues(
  records: readonly SizedRecord[],
  common: ShardCommon,
  count: number,
  maxShardBytes: number,
): Uint8Array[] | null {
  const buckets = Array.from({ length: count }, (): SizedRecord[] => []);
  for (const record of records) {
    buckets[userShardOf(record.userId, count)]!.push(record);
  }
  const values: Uint8Array[] = [];
  for (const bucket of buckets) {
    const text = encodeUserShard(common, bucket);
    if (valueSizeBytes(text) > USER_SHARD_LIMITS.maxTextBytes) {
      return null;
    }
    const value = compressShard(text);
    if (value.length > maxShardBytes) {
      return null;
    }
    values.push(value);
  }
  return values;
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
    sample += record.text;
  }
  return sample === "" ? 1 : compressShard(sample).length / valueSizeBytes(sample);
}

/** The user's record within maxRecordBytes: as it is, with its oldest recent items dropped, or null. */
function fitRecord(
  user: UserFeatures,
  common: ShardCommon,
  maxRecordBytes: number,
): { text: string; trimmed: boolean } | null {
  const whole = packedRecordText(user, common);
  if (valueSizeBytes(whole) <= maxRecordBytes) {
    return { text: whole, trimmed: false };
  }
  const recent = user.recentItems ?? [];
  const keeping = (kept: number) => packedRecordText({ ...user, recentItems: recent.slice(0, kept) }, common);
  // Binary search for the most recent items that fit (recentItems is most recent first).
  let low = 0;
  let high = recent.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if (valueSizeBytes(keeping(middle)) <= maxRecordBytes) {
      low = middle;
    } else {
      high = middle - 1;
    }
  }
  const text = keeping(low);
  return valueSizeBytes(text) <= maxRecordBytes ? { text, trimmed: true } : null;
}

/** The shards to write: those whose bytes KV does not hold already under the same key (sha256 compare). */
export async function changedShards(features: KvWriter, shards: UserShards): Promise<StoredComparison> {
  const { count } = shards.layout;
  const pairs = await Promise.all(
    shards.shards.map((text, i) => hashedPair(kvKeys.userShard(count, i), text)),
  );
  return compareWithStored(features, kvKeys.userShardPrefix(count), pairs);
}

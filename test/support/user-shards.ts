/**
 * User shards as the tests read and write them: a user's features read back from the shards a publish
 * wrote (through the publisher's KvWriter), and shards written straight into a test edge's FEATURES KV.
 */
import { deflateRawSync } from "node:zlib";
import {
  kvKeys,
  type Manifest,
  type UserFeatures,
  type UserShardLayout,
} from "../../models/contracts/index.ts";
import {
  commonOf,
  encodeUserShard,
  findUserInShard,
  inflateUserShard,
  type ParsedUserShard,
  packEmbeddingValues,
  packedRecordText,
  parseUserShard,
  unpackEmbeddingValues,
  userShardOf,
} from "../../models/user-shards/index.ts";
import type { KvPair, KvWriter } from "../../origin/release/publish/kv-writer.ts";
import { planUserShards } from "../../origin/release/publish/user-shards.ts";

/**
 * The user's features in the manifest's shards (or the user's own value, when stored apart), null when
 * absent; throws when a value is unreadable.
 */
export async function readShardedUser(
  features: KvWriter,
  manifest: Manifest,
  userId: string,
): Promise<UserFeatures | null> {
  const layout = manifest.users;
  if (!layout) {
    return null;
  }
  const find = async (key: string) => {
    const bytes = await features.getBytes(key);
    return bytes === null ? null : findUserInShard(await parseShardValue(bytes), userId);
  };
  let found = await find(kvKeys.userShard(layout.count, userShardOf(userId, layout.count)));
  if (found && "overflow" in found) {
    found = await find(found.overflow);
  }
  if (found && !("user" in found)) {
    throw new Error(JSON.stringify(found));
  }
  return found?.user ?? null;
}

/** A shard's KV value parsed as the edge parses it; throws when it is not a shard. */
export async function parseShardValue(bytes: Uint8Array): Promise<ParsedUserShard> {
  const inflated = await inflateUserShard(bytes);
  const shard = "error" in inflated ? inflated : parseUserShard(inflated.text);
  if ("error" in shard) {
    throw new Error(shard.error);
  }
  return shard;
}

/** The KV pairs a publish of `users` writes to FEATURES, and the layout its manifest names. */
export function userShardPairs(users: readonly UserFeatures[]): { layout: UserShardLayout; pairs: KvPair[] } {
  const { layout, shards } = planUserShards(users);
  return { layout, pairs: shards.map((value, i) => ({ key: kvKeys.userShard(layout.count, i), value })) };
}

/**
 * Writes `users` into the shards of a `count`-shard layout straight into a FEATURES binding, with `raw`
 * records put in as they are (a corrupt one, say): what a test edge reads before any request.
 */
export async function putUserShards(
  kv: { put(key: string, value: Uint8Array): Promise<void> },
  count: number,
  users: readonly UserFeatures[],
  raw: ReadonlyArray<{ userId: string; text: string }> = [],
): Promise<void> {
  const common = commonOf(users);
  const records = [
    ...users.map((user) => ({ userId: user.userId, text: packedRecordText(user, common) })),
    ...raw,
  ];
  for (let index = 0; index < count; index++) {
    const text = encodeUserShard(
      common,
      records.filter((record) => userShardOf(record.userId, count) === index),
    );
    await kv.put(kvKeys.userShard(count, index), new Uint8Array(deflateRawSync(text)));
  }
}

/** The user as a shard stores it: the embedding's floats become its int8 values times the scale. */
export function asStored(user: UserFeatures): UserFeatures {
  const { embedding } = user;
  return embedding
    ? {
        ...user,
        embedding: { ...embedding, values: unpackEmbeddingValues(packEmbeddingValues(embedding.values)) },
      }
    : user;
}

import { kvKeys, type UserFeatures, type UserShardLayout } from "../../models/contracts/index.ts";
import {
  findUserInShard,
  inflateUserShard,
  type ParsedUserShard,
  parseUserShard,
  userShardOf,
} from "../../models/user-shards/index.ts";

/** The KV key of the shard that holds `userId` in a release's layout. */
export function userShardKey(layout: UserShardLayout, userId: string): string {
  return kvKeys.userShard(layout.count, userShardOf(userId, layout.count));
}

/** Reads and parses one shard; null when it is absent or is not a shard (logged: it degrades to "no users"). */
export async function readUserShard(kv: KVNamespace, key: string): Promise<ParsedUserShard | null> {
  const bytes = await kv.get(key, "arrayBuffer");
  if (bytes === null) {
    return null;
  }
  const inflated = await inflateUserShard(new Uint8Array(bytes));
  const parsed = "error" in inflated ? inflated : parseUserShard(inflated.text);
  if ("error" in parsed) {
    console.error(`ignoring user shard ${key}: ${parsed.error}`);
    return null;
  }
  return parsed;
}

/**
 * One user's features from a shard, or from the user's own value when the shard points to one (a record
 * too large to share it); null when the user is not there or the record is invalid (logged).
 */
export async function userInShard(
  shard: ParsedUserShard | null,
  userId: string,
  readApart: (key: string) => Promise<ParsedUserShard | null>,
): Promise<UserFeatures | null> {
  let found = shard ? findUserInShard(shard, userId) : null;
  if (found !== null && "overflow" in found) {
    const own = await readApart(found.overflow);
    found = own ? findUserInShard(own, userId) : null;
    if (found !== null && "overflow" in found) {
      found = { error: `its value ${found.overflow} points to another` };
    }
  }
  if (found === null) {
    return null;
  }
  if ("error" in found) {
    console.error(`ignoring invalid features for user ${userId}: ${found.error}`);
    return null;
  }
  return found.user;
}

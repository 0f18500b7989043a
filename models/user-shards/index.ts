/**
 * Users' features in shards: which shard holds a user, the compact record of one user, and the shard's
 * text. The publisher encodes (origin/release/publish/user-shards.ts), the edge decodes
 * (worker/store/feature-store.ts), with these same functions.
 */
export { packEmbeddingValues, unpackEmbeddingValues } from "./packed-embedding.ts";
export { commonOf, type ShardCommon, unpackUser } from "./packed-user.ts";
export { inflateUserShard } from "./shard-bytes.ts";
export {
  encodeUserShard,
  findUserInShard,
  OVERFLOW_FIELD,
  type ParsedUserShard,
  packedRecordText,
  parseUserShard,
} from "./shard-codec.ts";
export { userShardOf } from "./shard-of.ts";

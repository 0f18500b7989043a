/**
 * Which shard holds a user: fmix32(FNV-1a 32) of the id's UTF-8 bytes, modulo the release's shard count.
 * The publisher and the edge call this one function, and the manifest names it (`users.hash`), so a
 * layout written by one version of the code is read with the hash it was written with.
 */
import { fmix32, fnv1a32 } from "../hash/index.ts";

export function userShardOf(userId: string, shardCount: number): number {
  return fmix32(fnv1a32(userId)) % shardCount;
}

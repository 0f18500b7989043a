/**
 * "Never rewrite a key that has not changed": every value the publisher writes carries its sha256 in
 * the key's metadata, so one list call per prefix (1000 keys a page) tells which keys already hold
 * the same content. KV allows one write per second per key and bills every write.
 */

import { sha256Hex } from "../../../models/contracts/index.ts";
import { type KvPair, type KvValue, type KvWriter, listAllKeys } from "./kv-writer.ts";

export interface HashedPair extends KvPair {
  metadata: { sha256: string };
}

export async function hashedPair(key: string, value: KvValue): Promise<HashedPair> {
  const sha256 = await sha256Hex(value);
  return { key, value, metadata: { sha256 } };
}

export interface StoredComparison {
  /** Pairs to write: absent keys, keys with other content, and keys whose content is unknown. */
  changed: HashedPair[];
  unchangedCount: number;
  /** Keys among `changed` that hold known, different content. */
  conflicting: string[];
}

/** Compares pairs whose keys all start with `prefix` with what KV holds under that prefix. */
export async function compareWithStored(
  writer: KvWriter,
  prefix: string,
  pairs: readonly HashedPair[],
): Promise<StoredComparison> {
  const stored = new Map<string, unknown>();
  if (pairs.length > 0) {
    for (const key of await listAllKeys(writer, prefix)) {
      stored.set(key.name, key.metadata?.sha256);
    }
  }
  const changed: HashedPair[] = [];
  const conflicting: string[] = [];
  for (const pair of pairs) {
    const storedSha256 = stored.get(pair.key);
    if (storedSha256 === pair.metadata.sha256) {
      continue;
    }
    changed.push(pair);
    // A key stored without our metadata (written by another tool) has unknown content: rewrite it.
    if (typeof storedSha256 === "string") {
      conflicting.push(pair.key);
    }
  }
  return { changed, unchangedCount: pairs.length - changed.length, conflicting };
}

import { type PublishedBlob, sha256Hex } from "../../../models/contracts/index.ts";
import { kvLimits } from "./kv-limits.ts";

/** Chunk size for model and artifact bytes: KV's value limit, less a margin. */
export const maxKvValueBytes = kvLimits.valueBytes - 1024;

/**
 * Splits bytes into KV values of at most `chunkBytes`, keyed by chunk index. The chunks are views
 * into `bytes`, not copies.
 */
export function splitIntoChunks(
  bytes: Uint8Array,
  keyOf: (chunk: number) => string,
  chunkBytes = maxKvValueBytes,
): Array<{ key: string; value: Uint8Array }> {
  if (!(Number.isInteger(chunkBytes) && chunkBytes > 0 && chunkBytes <= kvLimits.valueBytes)) {
    throw new Error(`chunkBytes must be a whole number from 1 to ${kvLimits.valueBytes}; got ${chunkBytes}`);
  }
  const chunks: Array<{ key: string; value: Uint8Array }> = [];
  for (let offset = 0, index = 0; offset < bytes.length; offset += chunkBytes, index++) {
    chunks.push({
      key: keyOf(index),
      value: bytes.subarray(offset, Math.min(offset + chunkBytes, bytes.length)),
    });
  }
  return chunks;
}

/**
 * The chunks to write for a published blob and the manifest's description of them (keys, size,
 * sha256): what readPublishedBytes (models/contracts/published-bytes.ts) reads back and checks.
 */
export async function chunkedBlob(
  bytes: Uint8Array,
  keyOf: (chunk: number) => string,
  chunkBytes?: number,
): Promise<{ chunks: Array<{ key: string; value: Uint8Array }>; blob: PublishedBlob }> {
  const chunks = splitIntoChunks(bytes, keyOf, chunkBytes);
  const blob = {
    keys: chunks.map((chunk) => chunk.key),
    sizeBytes: bytes.length,
    sha256: await sha256Hex(bytes),
  };
  return { chunks, blob };
}

/** `model/a/1/0` → `model/a/1/`: the prefix that lists exactly one version's chunks. */
export function chunkDirectory(key: string): string {
  return key.slice(0, key.lastIndexOf("/") + 1);
}

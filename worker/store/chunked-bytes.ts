/**
 * Reads a published blob from Workers KV through the contract's reader (models/contracts/published-bytes.ts),
 * which checks it against the manifest's size and sha256 before anything parses it.
 */
import {
  type PublishedBlob,
  PublishedBytesError,
  readPublishedBytes,
  readPublishedBytesInto,
} from "../../models/contracts/index.ts";

export type ChunkedBlob = PublishedBlob;
export { PublishedBytesError as ChunkedBytesError };

export function readChunkedBytes(kv: KVNamespace, label: string, blob: ChunkedBlob): Promise<Uint8Array> {
  return readPublishedBytes(kvBytes(kv), label, blob);
}

function kvBytes(kv: KVNamespace) {
  return {
    getBytes: async (key: string) => {
      const buffer = await kv.get(key, "arrayBuffer");
      return buffer === null ? null : new Uint8Array(buffer);
    },
  };
}

/** Reads a published blob from KV straight into `target` (a region of kernel memory), chunk by chunk. */
export function readChunkedBytesInto(
  kv: KVNamespace,
  label: string,
  blob: ChunkedBlob,
  target: Uint8Array,
): Promise<void> {
  return readPublishedBytesInto({ getStream: (key) => kv.get(key, "stream") }, label, blob, target);
}

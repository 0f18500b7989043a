/**
 * Reads a published blob from Workers KV through the contract's reader (models/contracts/published-bytes.ts),
 * which checks it against the manifest's size and sha256 before anything parses it.
 */
import { type PublishedBlob, PublishedBytesError, readPublishedBytes } from "../../models/contracts/index.ts";

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

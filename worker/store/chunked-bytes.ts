/**
 * Reads a published blob (model or artifact: one or more KV chunks) and checks it against the
 * manifest's size and sha256, so a torn or corrupt upload is refused before anything parses it.
 */
export interface ChunkedBlob {
  keys: readonly string[];
  sizeBytes: number;
  sha256: string;
}

export class ChunkedBytesError extends Error {
  readonly code: "bytes_missing" | "checksum_mismatch";

  constructor(message: string, code: ChunkedBytesError["code"]) {
    super(message);
    this.code = code;
  }
}

export async function readChunkedBytes(
  kv: KVNamespace,
  label: string,
  blob: ChunkedBlob,
): Promise<Uint8Array> {
  const chunks = await Promise.all(blob.keys.map((key) => kv.get(key, "arrayBuffer")));
  const bytes = new Uint8Array(blob.sizeBytes);
  let offset = 0;
  for (const [index, chunk] of chunks.entries()) {
    if (chunk === null) {
      throw new ChunkedBytesError(`${label}: chunk ${blob.keys[index]} is not in KV (yet)`, "bytes_missing");
    }
    if (offset + chunk.byteLength > bytes.length) {
      throw new ChunkedBytesError(`${label}: chunks exceed the declared size`, "checksum_mismatch");
    }
    bytes.set(new Uint8Array(chunk), offset);
    offset += chunk.byteLength;
  }
  const digest = toHex(await crypto.subtle.digest("SHA-256", bytes));
  if (offset !== bytes.length || digest !== blob.sha256) {
    throw new ChunkedBytesError(`${label}: bytes do not match the manifest's sha256`, "checksum_mismatch");
  }
  return bytes;
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

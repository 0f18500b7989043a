import type { ModelEntry } from "../../models/contracts/index.ts";

export class ModelBytesError extends Error {
  readonly code: "model_bytes_missing" | "model_checksum_mismatch";

  constructor(message: string, code: ModelBytesError["code"]) {
    super(message);
    this.code = code;
  }
}

/**
 * Reads a model's bytes (one or more chunks) from KV and checks them against the manifest's
 * sha256, so a torn or corrupt upload is refused before ORT sees it.
 */
export async function readModelBytes(kv: KVNamespace, entry: ModelEntry): Promise<Uint8Array> {
  const chunks = await Promise.all(entry.keys.map((key) => kv.get(key, "arrayBuffer")));
  const bytes = new Uint8Array(entry.sizeBytes);
  let offset = 0;
  for (const [index, chunk] of chunks.entries()) {
    if (chunk === null) {
      throw new ModelBytesError(
        `model ${entry.name}@${entry.version}: chunk ${entry.keys[index]} is not in KV (yet)`,
        "model_bytes_missing",
      );
    }
    if (offset + chunk.byteLength > bytes.length) {
      throw new ModelBytesError(
        `model ${entry.name}@${entry.version}: chunks exceed the declared size`,
        "model_checksum_mismatch",
      );
    }
    bytes.set(new Uint8Array(chunk), offset);
    offset += chunk.byteLength;
  }
  const digest = toHex(await crypto.subtle.digest("SHA-256", bytes));
  if (offset !== bytes.length || digest !== entry.sha256) {
    throw new ModelBytesError(
      `model ${entry.name}@${entry.version}: bytes do not match the manifest's sha256`,
      "model_checksum_mismatch",
    );
  }
  return bytes;
}

function toHex(buffer: ArrayBuffer): string {
  return Array.from(new Uint8Array(buffer), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Reads a published model's or artifact's bytes back from KV (all chunks, in order) and checks them
 * against the manifest's size and sha256, so bytes carried into a new release or restored by a rollback
 * are exactly the ones that served.
 */
import { createHash } from "node:crypto";
import type { ArtifactEntry } from "../../models/contracts/index.ts";
import type { KvWriter } from "./publish/index.ts";

export async function readReleaseBytes(
  kv: KvWriter,
  what: string,
  entry: Pick<ArtifactEntry, "keys" | "sizeBytes" | "sha256">,
): Promise<Uint8Array> {
  const bytes = new Uint8Array(entry.sizeBytes);
  let offset = 0;
  for (const key of entry.keys) {
    const chunk = await kv.getBytes(key);
    if (chunk === null) {
      throw new Error(`${what}: ${key} is missing from KV`);
    }
    if (offset + chunk.length > bytes.length) {
      throw new Error(`${what}: its chunks hold more than the ${entry.sizeBytes} bytes the manifest names`);
    }
    bytes.set(chunk, offset);
    offset += chunk.length;
  }
  const sha256 = createHash("sha256").update(bytes).digest("hex");
  if (offset !== entry.sizeBytes || sha256 !== entry.sha256) {
    throw new Error(`${what}: the bytes in KV do not match the manifest's size and sha256`);
  }
  return bytes;
}

import { type ApiKeyRecord, hashApiKey, kvKeys } from "../../../models/contracts/index.ts";

/** Where API-key records go: the edge's MODELS namespace (any writer with put). */
export interface ApiKeyWriter {
  put(key: string, value: string): Promise<void>;
}

/**
 * Issues a new edge API key: 32 random bytes, base64url. Only its SHA-256 is written to KV; the
 * key itself is returned once, to be handed to the client.
 */
export async function issueApiKey(kv: ApiKeyWriter, name: string): Promise<string> {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  const key = `ew_${btoa(String.fromCharCode(...bytes))
    .replace(/\+/g, "-")
    .replace(/\//g, "_")
    .replace(/=+$/, "")}`;
  const record: ApiKeyRecord = { name, createdAt: new Date().toISOString() };
  await kv.put(kvKeys.apiKey(await hashApiKey(key)), JSON.stringify(record));
  return key;
}

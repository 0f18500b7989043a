/**
 * Reads a JSON value from KV; null when the key is absent or its value is not JSON. A corrupt value
 * must degrade to "missing" (and be logged), never fail the request.
 */
export async function readJson(kv: KVNamespace, key: string): Promise<unknown> {
  const text = await kv.get(key, "text");
  if (text === null) {
    return null;
  }
  try {
    return JSON.parse(text) as unknown;
  } catch {
    console.error(`KV value ${key} is not valid JSON; treating it as missing`);
    return null;
  }
}

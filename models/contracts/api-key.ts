/** API keys: clients send the key; KV holds only its SHA-256 with a small record. */
import { z } from "zod";

export const ApiKeyRecord = z.object({
  name: z.string().min(1).max(128),
  createdAt: z.string(),
  /** Set to revoke: the edge refuses the key once its cache entry expires. */
  revokedAt: z.string().optional(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecord>;

/** Hex SHA-256 of a key, the form both the issuer and the edge use (WebCrypto: Node and workerd). */
export async function hashApiKey(key: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(key));
  return Array.from(new Uint8Array(digest), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

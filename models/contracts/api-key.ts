/** API keys: clients send the key; KV holds only its SHA-256 with a small record. */
import { z } from "zod";
import { sha256Hex } from "./sha256-hex.ts";

export const ApiKeyRecord = z.object({
  name: z.string().min(1).max(128),
  createdAt: z.string(),
  /** Set to revoke: the edge refuses the key once its cache entry expires. */
  revokedAt: z.string().optional(),
});
export type ApiKeyRecord = z.infer<typeof ApiKeyRecord>;

/** Hex SHA-256 of a key, the form both the issuer and the edge use (WebCrypto: Node and workerd). */
export function hashApiKey(key: string): Promise<string> {
  return sha256Hex(key);
}

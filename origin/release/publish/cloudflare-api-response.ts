/**
 * The results the KV writer reads from the Cloudflare API (the SDK unwraps the envelope), parsed at the
 * boundary, and the error for a refusal that a retry cannot change.
 */
import { z } from "zod";

export const BulkResult = z.object({ unsuccessful_keys: z.array(z.string()).nullish() }).nullish();
export const KeyList = z.array(
  z.object({ name: z.string(), expiration: z.number().optional(), metadata: z.unknown().optional() }),
);

/** A 4xx other than 429: retrying the same request cannot help. */
export class ApiRejection extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

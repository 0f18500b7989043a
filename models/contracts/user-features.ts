/**
 * A user's features as the edge reads them: one KV value per user, so the common request costs one
 * KV read. Vectors are small (tens of floats), so JSON numbers cost less to decode than they save.
 */
import { z } from "zod";

export const UserFeatures = z.object({
  userId: z.string().min(1),
  updatedAt: z.string(),
  /** Named dense vectors, e.g. `behaviour` for the propensity model. */
  vectors: z.record(z.string(), z.array(z.number())),
  /** The version of the model each vector was produced for, so the edge can tell a stale one. */
  producedFor: z.record(z.string(), z.string()).default({}),
});
export type UserFeatures = z.infer<typeof UserFeatures>;

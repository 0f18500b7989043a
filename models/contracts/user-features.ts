/**
 * A user's features as the edge reads them: one KV value per user, so the common request costs one
 * KV read. Vectors are small (tens of floats), so JSON numbers cost less to decode than they save.
 * Fields added after the first release are optional, so records written before them still parse.
 */
import { z } from "zod";
import { EVENT_LIMITS } from "./event.ts";

export const USER_FEATURE_LIMITS = {
  /** Enough to hide what a user saw lately; older history is the recommendation model's business. */
  recentItems: 500,
  embeddingDim: 4096,
  segmentChars: 64,
} as const;

export const UserFeatures = z.object({
  userId: z.string().min(1),
  updatedAt: z.string(),
  /** Named dense vectors, e.g. `behaviour` for the behaviour model. */
  vectors: z.record(z.string(), z.array(z.number())),
  /** The version of the model each vector was produced for, so the edge can tell a stale one. */
  producedFor: z.record(z.string(), z.string()).default({}),
  /** Ids of items the user interacted with, most recent first: the decision engine leaves them out. */
  recentItems: z
    .array(z.string().min(1).max(EVENT_LIMITS.idChars))
    .max(USER_FEATURE_LIMITS.recentItems)
    .optional(),
  /**
   * The user's factors from the recommendation model, as floats (the edge quantizes them for its int8
   * kernel). Comparable only with item embeddings of the same model version: factors of two trainings live
   * in different spaces, so a version mismatch means "no usable embedding", never a silently wrong score.
   */
  embedding: z
    .object({
      model: z.string().min(1),
      version: z.string().min(1),
      values: z.array(z.number()).min(1).max(USER_FEATURE_LIMITS.embeddingDim),
    })
    .optional(),
  /** A segment label assigned at training time (e.g. a cluster or lifecycle stage). */
  segment: z.string().min(1).max(USER_FEATURE_LIMITS.segmentChars).optional(),
});
export type UserFeatures = z.infer<typeof UserFeatures>;

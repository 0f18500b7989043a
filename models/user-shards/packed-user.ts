/**
 * One user's record inside a shard: the UserFeatures fields minus what the shard already says (the id is in
 * the shard's index; the update time, the embedding's model and version and `producedFor` are the shard's
 * common values unless this user differs), with the embedding as int8 + scale. Every other field, including
 * fields added to UserFeatures later, passes through as it is, so the shard format never has to learn them.
 */
import { z } from "zod";
import { UserFeatures } from "../contracts/index.ts";
import { PackedEmbedding, packEmbeddingValues, unpackEmbeddingValues } from "./packed-embedding.ts";

/** The values most users of a release share, stored once per shard. */
export const ShardCommon = z.object({
  updatedAt: z.string().optional(),
  producedFor: z.record(z.string(), z.string()).optional(),
  embedding: z.object({ model: z.string().min(1), version: z.string().min(1) }).optional(),
});
export type ShardCommon = z.infer<typeof ShardCommon>;

export type PackedUser = Record<string, unknown>;

export function packUser(user: UserFeatures, common: ShardCommon): PackedUser {
  const { userId: _inIndex, updatedAt, producedFor, vectors, embedding, ...rest } = user;
  const packed: PackedUser = { ...rest };
  if (updatedAt !== common.updatedAt) {
    packed.updatedAt = updatedAt;
  }
  if (JSON.stringify(producedFor) !== JSON.stringify(common.producedFor ?? {})) {
    packed.producedFor = producedFor;
  }
  if (Object.keys(vectors).length > 0) {
    packed.vectors = vectors;
  }
  if (embedding) {
    const same =
      embedding.model === common.embedding?.model && embedding.version === common.embedding?.version;
    packed.embedding = {
      ...(same ? {} : { model: embedding.model, version: embedding.version }),
      ...packEmbeddingValues(embedding.values),
    } satisfies PackedEmbedding;
  }
  return packed;
}

/** The user's features, or the reason the stored record is not a valid one. */
export function unpackUser(
  userId: string,
  packed: unknown,
  common: ShardCommon,
): { user: UserFeatures } | { error: string } {
  if (packed === null || typeof packed !== "object" || Array.isArray(packed)) {
    return { error: "the record is not an object" };
  }
  const { updatedAt, producedFor, vectors, embedding, ...rest } = packed as PackedUser;
  let unpackedEmbedding: UserFeatures["embedding"];
  if (embedding !== undefined) {
    const parsed = PackedEmbedding.safeParse(embedding);
    const model = parsed.data?.model ?? common.embedding?.model;
    const version = parsed.data?.version ?? common.embedding?.version;
    if (!parsed.success || model === undefined || version === undefined) {
      return { error: "its embedding is not int8 + scale with a model and version" };
    }
    unpackedEmbedding = { model, version, values: unpackEmbeddingValues(parsed.data) };
  }
  const parsed = UserFeatures.safeParse({
    ...rest,
    userId,
    updatedAt: updatedAt ?? common.updatedAt,
    producedFor: producedFor ?? common.producedFor ?? {},
    vectors: vectors ?? {},
    ...(unpackedEmbedding ? { embedding: unpackedEmbedding } : {}),
  });
  return parsed.success ? { user: parsed.data } : { error: parsed.error.message };
}

/** The commonest update time, producedFor and embedding model/version among `users` (ties: the first seen). */
export function commonOf(users: readonly UserFeatures[]): ShardCommon {
  const updatedAt = commonest(users.map((user) => user.updatedAt));
  const producedFor = commonest(users.map((user) => JSON.stringify(user.producedFor)));
  const embedding = commonest(
    users.flatMap((user) =>
      user.embedding ? [JSON.stringify([user.embedding.model, user.embedding.version])] : [],
    ),
  );
  const [model, version] = embedding === undefined ? [] : (JSON.parse(embedding) as [string, string]);
  return {
    ...(updatedAt === undefined ? {} : { updatedAt }),
    ...(producedFor === undefined || producedFor === "{}"
      ? {}
      : { producedFor: JSON.parse(producedFor) as Record<string, string> }),
    ...(model === undefined || version === undefined ? {} : { embedding: { model, version } }),
  };
}

function commonest(values: readonly string[]): string | undefined {
  const counts = new Map<string, number>();
  let best: string | undefined;
  let bestCount = 0;
  for (const value of values) {
    const count = (counts.get(value) ?? 0) + 1;
    counts.set(value, count);
    if (count > bestCount) {
      best = value;
      bestCount = count;
    }
  }
  return best;
}

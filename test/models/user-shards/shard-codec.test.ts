import { describe, expect, it } from "vitest";
import type { UserFeatures } from "../../../models/contracts/index.ts";
import { mulberry32, randomNormalArray } from "../../../models/random.ts";
import {
  commonOf,
  encodeUserShard,
  findUserInShard,
  type ParsedUserShard,
  packEmbeddingValues,
  packedRecordText,
  parseUserShard,
  unpackEmbeddingValues,
} from "../../../models/user-shards/index.ts";
import { syntheticUserFeatures } from "../../../origin/dev/sample-data/index.ts";
import { quantizeUserVector } from "../../../wasm/quantize-user-vector.ts";
import { asStored } from "../../support/user-shards.ts";

function shardOf(users: readonly UserFeatures[]): ParsedUserShard {
  const common = commonOf(users);
  const text = encodeUserShard(
    common,
    users.map((user) => ({ userId: user.userId, text: packedRecordText(user, common) })),
  );
  const parsed = parseUserShard(text);
  if ("error" in parsed) {
    throw new Error(parsed.error);
  }
  return parsed;
}

describe("user shards", () => {
  it("reads back every user as written, the embedding as its int8 values and scale", () => {
    const users = syntheticUserFeatures(80, { seed: 3 });
    users[7] = { ...users[7]!, updatedAt: "2026-01-01T00:00:00.000Z", segment: "vip" };
    users[9] = { ...users[9]!, vectors: { behaviour: [0.25, -1.5] }, producedFor: { behaviour: "b7" } };
    users[11] = { ...users[11]!, embedding: { model: "other", version: "2", values: [1, -2, 0.5] } };
    const { embedding: _none, ...noEmbedding } = users[13]!;
    users[13] = noEmbedding;
    const shard = shardOf(users);
    for (const user of users) {
      expect(findUserInShard(shard, user.userId)).toEqual({ user: asStored(user) });
    }
    expect(findUserInShard(shard, "user-80")).toBeNull();
    expect(findUserInShard(shard, "")).toBeNull();
  });

  it("passes fields it does not know through unchanged", () => {
    const user = { ...syntheticUserFeatures(1)[0]!, segment: "s" };
    const shard = shardOf([user]);
    expect(shard.records).toContain('"segment":"s"');
    expect(findUserInShard(shard, user.userId)).toEqual({ user: asStored(user) });
  });

  it("gives the edge's kernel the same int8 vector and scale as the floats did", () => {
    const rng = mulberry32(5);
    for (let trial = 0; trial < 500; trial++) {
      const values = Array.from(randomNormalArray(rng, 1 + (trial % 70), 10 ** (rng() * 6 - 3)));
      const stored = unpackEmbeddingValues(packEmbeddingValues(values));
      const fromFloats = quantizeUserVector(Float32Array.from(values));
      const fromStored = quantizeUserVector(Float32Array.from(stored));
      expect(Array.from(fromStored.values)).toEqual(Array.from(fromFloats.values));
      expect(fromStored.scale).toBe(fromFloats.scale);
    }
  });

  it("keeps 64 users of 64 factors and 20 recent items within 32 KiB", () => {
    const users = syntheticUserFeatures(64, { dim: 64, recentItems: 20 });
    const common = commonOf(users);
    const text = encodeUserShard(
      common,
      users.map((user) => ({ userId: user.userId, text: packedRecordText(user, common) })),
    );
    expect(new TextEncoder().encode(text).length).toBeLessThanOrEqual(32 * 1024);
  });

  it("costs one user only when its record is invalid, and refuses a value that is not a shard", () => {
    const users = syntheticUserFeatures(3);
    const common = commonOf(users);
    const records = users.map((user) => ({ userId: user.userId, text: packedRecordText(user, common) }));
    records[1] = { userId: users[1]!.userId, text: '{"embedding":{"int8":"AAA=","scale":-1}}' };
    const parsed = parseUserShard(encodeUserShard(common, records)) as ParsedUserShard;
    expect(findUserInShard(parsed, users[1]!.userId)).toMatchObject({ error: expect.any(String) });
    expect(findUserInShard(parsed, users[0]!.userId)).toEqual({ user: asStored(users[0]!) });
    expect(parseUserShard("{not json")).toMatchObject({ error: "no header line" });
    expect(parseUserShard('{"format":1}\n')).toMatchObject({ error: expect.stringMatching(/bad header/) });
    const cut = encodeUserShard(common, records).slice(0, -5);
    expect(parseUserShard(cut)).toMatchObject({ error: expect.stringMatching(/offsets/) });
  });
});

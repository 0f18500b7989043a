import { describe, expect, it } from "vitest";
import { findUserInShard, userShardOf } from "../../../../models/user-shards/index.ts";
import { syntheticUserFeatures } from "../../../../origin/dev/sample-data/index.ts";
import {
  planUserShards,
  USER_SHARD_LIMITS,
  type UserShards,
} from "../../../../origin/release/publish/user-shards.ts";
import { asStored, parseShardValue } from "../../../support/user-shards.ts";

async function readBack(planned: UserShards, userId: string) {
  const { shards, overflow } = planned;
  const found = findUserInShard(await parseShardValue(shards[userShardOf(userId, shards.length)]!), userId);
  const apart = found && "overflow" in found ? overflow.find((entry) => entry.key === found.overflow) : null;
  return apart ? findUserInShard(await parseShardValue(apart.value), userId) : found;
}

describe("planUserShards", () => {
  it("puts 10,000 users of 64 factors in at most one shard per 64 users, each within 32 KiB", async () => {
    const users = syntheticUserFeatures(10_000, { dim: 64, recentItems: 20 });
    const planned = planUserShards(users);
    expect(planned.layout).toMatchObject({ users: 10_000, hash: "fnv1a32-fmix32", format: 1 });
    expect(planned.shards).toHaveLength(planned.layout.count);
    expect(planned.layout.count).toBeLessThanOrEqual(10_000 / 64);
    for (const value of planned.shards) {
      expect(value.length).toBeLessThanOrEqual(USER_SHARD_LIMITS.maxShardBytes);
    }
    for (const user of users.filter((_, i) => i % 97 === 0)) {
      expect(await readBack(planned, user.userId)).toEqual({ user: asStored(user) });
    }
  });

  it("keeps the previous count while it fits, and moves off it when the users outgrow it", () => {
    const users = syntheticUserFeatures(2000);
    const fresh = planUserShards(users);
    expect(planUserShards(users, { previousCount: fresh.layout.count + 3 }).layout.count).toBe(
      fresh.layout.count + 3,
    );
    const grown = planUserShards(syntheticUserFeatures(8000), { previousCount: fresh.layout.count });
    expect(grown.layout.count).toBeGreaterThan(fresh.layout.count);
    // Far too many shards for the users: a fresh count instead of mostly empty shards.
    expect(planUserShards(users, { previousCount: fresh.layout.count * 10 }).layout.count).toBe(
      fresh.layout.count,
    );
  });

  it("stores a record too large to share a shard apart, points to it, and leaves out one over the value limit", async () => {
    const [heavy, huge, plain] = syntheticUserFeatures(3, { recentItems: 500 }).map((user, i) =>
      i === 2 ? { ...user, recentItems: user.recentItems!.slice(0, 3) } : user,
    );
    const tooLarge = { ...huge!, vectors: { behaviour: Array.from({ length: 20_000 }, (_, i) => i / 7) } };
    const planned = planUserShards([heavy!, tooLarge, plain!], { maxValueBytes: 16 * 1024 });
    expect(planned.skippedUsers).toEqual([huge!.userId]);
    expect(planned.layout.users).toBe(2);
    const shard = userShardOf(heavy!.userId, planned.layout.count);
    expect(planned.overflow.map((entry) => entry.key)).toEqual([`users/${planned.layout.count}/${shard}/0`]);
    expect(await readBack(planned, heavy!.userId)).toEqual({ user: asStored(heavy!) });
    expect(await readBack(planned, huge!.userId)).toBeNull();
    expect(await readBack(planned, plain!.userId)).toEqual({ user: asStored(plain!) });
  });

  it("gives the same shards for the same users in any order", () => {
    const users = syntheticUserFeatures(500);
    expect(planUserShards([...users].reverse()).shards).toEqual(planUserShards(users).shards);
  });
});

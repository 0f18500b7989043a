/**
 * npm run bench:publish-users — users' features published to a local edge's KV (Miniflare persisted in a
 * temp directory, as `edgewise publish --local`) at 10k and 100k users, writing
 * bench/results/publish-users.json.
 *
 * Users: syntheticUserFeatures (64 factors, 20 recent items of 2,000, one model version). Per size, in
 * each of ROUNDS rounds, interleaved so the shared machine's slow seconds hit all alike:
 * - first: publishRelease of every user into an empty FEATURES namespace (every shard written);
 * - republish: the same release again with 1% of the users changed (only their shards written: about
 *   count · (1 − e^(−changed/count)) of them, most shards at 160 users a shard);
 * - baseline: the layout before shards, one `user/<id>` JSON value per user with its sha256 in the
 *   metadata, written through the same writer (16 puts in flight), on the first BASELINE_USERS users
 *   only (it runs at tens of users/s).
 * Figures are medians over the rounds: users/s (users ÷ the publish's wall time, planning, hashing, the
 * KV listing and writes, and the manifest included), KV writes (every pair of every putMany), and the
 * ratio of the sharded first publish's users/s to the baseline's.
 *
 *   npm run bench:publish-users [-- --rounds N] [-- --sizes 10000,100000]
 */
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import type { UserFeatures } from "../models/contracts/index.ts";
import { syntheticUserFeatures } from "../origin/dev/sample-data/index.ts";
import {
  type KvWriter,
  listAllKeys,
  type PublishTargets,
  publishRelease,
  withPublishTargets,
} from "../origin/release/index.ts";
import { hashedPair } from "../origin/release/publish/unchanged-keys.ts";
import { median } from "./lib/stats.ts";

const SIZES = [10_000, 100_000];
const BASELINE_USERS = 2_000;
const RESULTS = path.join(path.dirname(fileURLToPath(import.meta.url)), "results", "publish-users.json");

interface Entry {
  users: number;
  shards: number;
  first_users_per_s: number;
  first_kv_writes: number;
  republish_users_per_s: number;
  republish_kv_writes: number;
  baseline_users: number;
  baseline_users_per_s: number;
  first_over_baseline: number;
  rounds: number;
}

/** A writer that counts the pairs written through it. */
function counting(inner: KvWriter, count: { writes: number }): KvWriter {
  return {
    ...inner,
    async putMany(pairs) {
      count.writes += pairs.length;
      await inner.putMany(pairs);
    },
  };
}

async function clearFeatures(targets: PublishTargets): Promise<void> {
  for (const prefix of ["users/", "user/"]) {
    await targets.features.deleteMany((await listAllKeys(targets.features, prefix)).map((key) => key.name));
  }
}

async function timed(run: () => Promise<void>): Promise<number> {
  const started = performance.now();
  await run();
  return (performance.now() - started) / 1000;
}

async function measureSize(targets: PublishTargets, size: number, rounds: number): Promise<Entry> {
  const users = syntheticUserFeatures(size);
  const changed = users.map(
    (user, i): UserFeatures => (i % 100 === 0 ? { ...user, segment: "moved" } : user),
  );
  const baselineUsers = users.slice(0, BASELINE_USERS);
  const first: Array<{ s: number; writes: number; shards: number }> = [];
  const republish: Array<{ s: number; writes: number }> = [];
  const baseline: number[] = [];
  const publish = async (list: UserFeatures[]) => {
    const count = { writes: 0 };
    let shards = 0;
    const s = await timed(async () => {
      const result = await publishRelease(
        { models: counting(targets.models, count), features: counting(targets.features, count) },
        { models: [], users: list },
      );
      shards = result.users?.shards ?? 0;
    });
    return { s, writes: count.writes, shards };
  };
  for (let round = 0; round < rounds; round++) {
    const runBaseline = async () => {
      await clearFeatures(targets);
      baseline.push(
        await timed(async () => {
          const pairs = await Promise.all(
            baselineUsers.map((user) => hashedPair(`user/${user.userId}`, JSON.stringify(user))),
          );
          await targets.features.putMany(pairs);
        }),
      );
    };
    const runSharded = async () => {
      await clearFeatures(targets);
      first.push(await publish(users));
      republish.push(await publish(changed));
    };
    // The order flips every round.
    for (const run of round % 2 === 0 ? [runSharded, runBaseline] : [runBaseline, runSharded]) {
      await run();
    }
    console.log(
      `${size} users, round ${round + 1}: first ${first.at(-1)!.s.toFixed(2)} s, republish ${republish.at(-1)!.s.toFixed(2)} s, baseline ${BASELINE_USERS} users ${baseline.at(-1)!.toFixed(2)} s`,
    );
  }
  await clearFeatures(targets);
  const firstUsersPerS = size / median(first.map((run) => run.s));
  const baselineUsersPerS = BASELINE_USERS / median(baseline);
  return {
    users: size,
    shards: first[0]!.shards,
    first_users_per_s: Math.round(firstUsersPerS),
    first_kv_writes: median(first.map((run) => run.writes)),
    republish_users_per_s: Math.round(size / median(republish.map((run) => run.s))),
    republish_kv_writes: median(republish.map((run) => run.writes)),
    baseline_users: BASELINE_USERS,
    baseline_users_per_s: Math.round(baselineUsersPerS),
    first_over_baseline: Number((firstUsersPerS / baselineUsersPerS).toFixed(1)),
    rounds,
  };
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rounds: { type: "string", default: "3" },
      sizes: { type: "string", default: SIZES.join(",") },
    },
  });
  const rounds = Number(values.rounds);
  const sizes = values.sizes.split(",").map(Number);
  const dir = await mkdtemp(path.join(tmpdir(), "edgewise-publish-users-"));
  try {
    const entries = await withPublishTargets({ kind: "local", dir }, async (targets) => {
      const measured: Entry[] = [];
      for (const size of sizes) {
        measured.push(await measureSize(targets, size, rounds));
      }
      return measured;
    });
    writeFileSync(
      RESULTS,
      `${JSON.stringify({ measuredAt: new Date().toISOString(), sizes: entries }, null, 2)}\n`,
    );
    console.table(entries);
    console.log(`written to ${path.relative(process.cwd(), RESULTS)}`);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

await main();

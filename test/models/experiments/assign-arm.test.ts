import { describe, expect, it } from "vitest";
import { assignArm, assignmentBucket } from "../../../models/experiments/assign-arm.ts";
import { Experiment } from "../../../models/experiments/experiment.ts";
import { fnv1a32 } from "../../../models/hash/index.ts";

/** An independent reference: BigInt arithmetic and Node's own UTF-8 encoder, no Math.imul. */
function referenceBucket(experimentId: string, unitId: string): number {
  let h = 0x811c9dc5n;
  for (const byte of Buffer.from(`${experimentId}\u0000${unitId}`, "utf8")) {
    h = ((h ^ BigInt(byte)) * 0x01000193n) & 0xffffffffn;
  }
  h ^= h >> 16n;
  h = (h * 0x85ebca6bn) & 0xffffffffn;
  h ^= h >> 13n;
  h = (h * 0xc2b2ae35n) & 0xffffffffn;
  h ^= h >> 16n;
  return Number(h) / 2 ** 32;
}

const experiment = Experiment.parse({
  id: "home-ranker-2026-11",
  surface: "home",
  arms: [
    { id: "control", weight: 5 },
    { id: "bandit", weight: 3, policy: "home-bandit" },
    { id: "bandit-greedy", weight: 2 },
  ],
});

describe("sticky experiment assignment", () => {
  it("implements FNV-1a 32 as its specification's test vectors state", () => {
    // From the FNV reference test suite (Fowler, Noll, Vo): "", "a", "foobar".
    expect(fnv1a32("")).toBe(0x811c9dc5);
    expect(fnv1a32("a")).toBe(0xe40c292c);
    expect(fnv1a32("foobar")).toBe(0xbf9cf968);
  });

  it("agrees with an independent BigInt implementation, non-ASCII ids included", () => {
    for (const user of ["user-1", "user-2", "ユーザー", "Zoë", "🙂", "x".repeat(128)]) {
      expect(assignmentBucket(experiment.id, user)).toBe(referenceBucket(experiment.id, user));
    }
  });

  it("reproduces the documented test vectors (docs/learning-loop.md, computed with a separate Python implementation)", () => {
    for (const [user, bucket, arm] of [
      ["user-1", 0.3935621839, "control"],
      ["user-3", 0.9555234786, "bandit-greedy"],
      ["user-8", 0.7526894629, "bandit"],
      ["Zoë", 0.3420993811, "control"],
    ] as const) {
      expect(assignmentBucket(experiment.id, user)).toBeCloseTo(bucket, 10);
      expect(assignArm(experiment, user).id).toBe(arm);
    }
  });

  it("assigns the same user to the same arm every time", () => {
    for (let u = 0; u < 1000; u++) {
      expect(assignArm(experiment, `user-${u}`).id).toBe(assignArm(experiment, `user-${u}`).id);
    }
  });

  it("splits 100,000 users in proportion to the weights", () => {
    const counts = new Map<string, number>();
    const n = 100_000;
    for (let u = 0; u < n; u++) {
      const arm = assignArm(experiment, `user-${u}`).id;
      counts.set(arm, (counts.get(arm) ?? 0) + 1);
    }
    for (const [arm, share] of [
      ["control", 0.5],
      ["bandit", 0.3],
      ["bandit-greedy", 0.2],
    ] as const) {
      // 4.5 standard deviations of a binomial count.
      expect(Math.abs(counts.get(arm)! - n * share)).toBeLessThan(4.5 * Math.sqrt(n * share * (1 - share)));
    }
  });

  it("reshuffles users independently in another experiment", () => {
    const other = Experiment.parse({ ...experiment, id: "home-ranker-2026-12" });
    let both = 0;
    let first = 0;
    const n = 50_000;
    for (let u = 0; u < n; u++) {
      const a = assignArm(experiment, `user-${u}`).id === "control";
      first += a ? 1 : 0;
      both += a && assignArm(other, `user-${u}`).id === "control" ? 1 : 0;
    }
    // Independent: half of the first experiment's control group lands in the second's control.
    expect(Math.abs(both / first - 0.5)).toBeLessThan(0.02);
  });

  it("refuses duplicate arm ids and non-positive weights", () => {
    expect(
      Experiment.safeParse({ ...experiment, arms: [experiment.arms[0], experiment.arms[0]] }).success,
    ).toBe(false);
    expect(Experiment.safeParse({ ...experiment, arms: [{ id: "a", weight: 0 }] }).success).toBe(false);
  });
});

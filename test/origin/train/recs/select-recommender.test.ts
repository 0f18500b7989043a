/**
 * The one recommender path: deterministic tuning (the same choice under a CPU burner as on a quiet
 * machine), the confidence transform as a tuned choice, EASE factorised for the edge, sampling past a size.
 */
import { spawn } from "node:child_process";
import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../../models/random.ts";
import {
  factoriseEase,
  pairData,
  selectRecommender,
  trainEase,
  withConfidence,
} from "../../../../origin/train/recs/index.ts";

/** Users in four taste groups with repeated events, so the transforms differ. */
function tasteEvents(users: number, items: number, seed: number) {
  const rng = mulberry32(seed);
  const user: number[] = [];
  const item: number[] = [];
  const weight: number[] = [];
  for (let u = 0; u < users; u++) {
    const group = u % 4;
    const n = 6 + Math.floor(rng() * 20);
    for (let t = 0; t < n; t++) {
      const inGroup = rng() < 0.85;
      const i = inGroup ? Math.floor(rng() * (items / 4)) * 4 + group : Math.floor(rng() * items);
      const repeats = 1 + Math.floor(rng() * 3);
      for (let r = 0; r < repeats; r++) {
        user.push(u);
        item.push(i);
        weight.push(r === 0 ? 4 : 1);
      }
    }
  }
  return pairData({
    users,
    items,
    user: Int32Array.from(user),
    item: Int32Array.from(item),
    weight: Float32Array.from(weight),
  });
}

const SMALL = {
  alphas: [1, 10],
  lambdas: [3, 30],
  factors: [8, 16],
  easeLambdas: [50],
  easeRank: 16,
  tuneIterations: 4,
  iterations: 6,
  tuneBudgetFits: 12,
};

/** A busy loop in another process for as long as the callback runs. */
async function underLoad<T>(work: () => T): Promise<T> {
  const burner = spawn(process.execPath, ["-e", "for(;;){}"], { stdio: "ignore" });
  await new Promise((resolve) => setTimeout(resolve, 200));
  try {
    return work();
  } finally {
    burner.kill();
  }
}

describe("selectRecommender", () => {
  it("chooses the same model with the same trials on a quiet machine and under a CPU burner", async () => {
    const pairs = tasteEvents(300, 80, 1);
    const quiet = selectRecommender(pairs, SMALL);
    const loaded = await underLoad(() => selectRecommender(pairs, SMALL));
    expect(loaded.candidate).toEqual(quiet.candidate);
    expect(loaded.trials.map((t) => [t.candidate, t.metrics])).toEqual(
      quiet.trials.map((t) => [t.candidate, t.metrics]),
    );
    expect(
      Buffer.from(loaded.model.itemFactors.buffer).equals(Buffer.from(quiet.model.itemFactors.buffer)),
    ).toBe(true);
  });

  it("tries every confidence transform and EASE within a budget counted in fits", () => {
    const pairs = tasteEvents(300, 80, 2);
    const result = selectRecommender(pairs, SMALL);
    const confidences = new Set(
      result.trials.flatMap((t) => (t.candidate.model === "ials" ? [t.candidate.confidence] : [])),
    );
    expect([...confidences].sort()).toEqual(["binary", "log-count", "weighted"]);
    expect(result.trials.some((t) => t.candidate.model === "ease")).toBe(true);
    expect(result.trials.length).toBeLessThanOrEqual(SMALL.tuneBudgetFits);
    const tight = selectRecommender(pairs, { ...SMALL, tuneBudgetFits: 3 });
    expect(tight.trials).toHaveLength(3);
    expect(result.validation.model.ndcg).toBeGreaterThan(result.validation.popularity.ndcg);
    expect(result.tuneSeconds).toBeGreaterThan(0);
    expect(result.fitSeconds).toBeGreaterThan(0);
  });

  it("tunes on a sample of users past the threshold and fits the winner on every user", () => {
    const pairs = tasteEvents(300, 80, 3);
    const result = selectRecommender(pairs, { ...SMALL, tuneSampleUsers: 120, tuneBudgetFits: 4 });
    expect(result.tunedUsers).toBe(120);
    expect(result.model.users).toBe(300);
  });

  it("transforms confidence: binary is 1, log-count log(1 + events), weighted the summed weights", () => {
    const pairs = tasteEvents(20, 16, 4);
    const binary = withConfidence(pairs, "binary");
    const log = withConfidence(pairs, "log-count");
    expect(binary.indices).toBe(pairs.weights.indices);
    expect(new Set(binary.values)).toEqual(new Set([1]));
    for (let t = 0; t < log.values.length; t++) {
      expect(log.values[t]).toBeCloseTo(Math.log1p(pairs.counts[t]!), 6);
    }
    expect(withConfidence(pairs, "weighted")).toBe(pairs.weights);
  });

  it("factorises EASE into user and item vectors whose dot products approach EASE's scores", () => {
    const pairs = tasteEvents(200, 40, 5);
    const binary = withConfidence(pairs, "binary");
    const ease = trainEase(binary, { lambda: 20 });
    const full = factoriseEase(ease, binary, { rank: ease.items.length });
    const user = 7;
    const exact = new Float64Array(40);
    for (let t = binary.offsets[user]!; t < binary.offsets[user + 1]!; t++) {
      const p = ease.position[binary.indices[t]!]!;
      for (let j = 0; j < ease.items.length && p >= 0; j++) {
        exact[ease.items[j]!]! += ease.weights[p * ease.items.length + j]!;
      }
    }
    const f = full.factors;
    for (let i = 0; i < 40; i++) {
      let dot = 0;
      for (let a = 0; a < f; a++) {
        dot += full.userFactors[user * f + a]! * full.itemFactors[i * f + a]!;
      }
      expect(dot).toBeCloseTo(exact[i]!, 3);
    }
  });
});

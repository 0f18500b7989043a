import { describe, expect, it } from "vitest";
import {
  crossFitRewardPredictions,
  importanceWeights,
  ipsTerms,
  type LoggedBanditData,
  ratioEstimate,
  snipsTerms,
  weightDiagnostics,
} from "../../../../origin/learn/policy-evaluation/index.ts";
import { createOpeWorld, logDecisions, loggedData, trainedPolicy } from "../../../support/ope-world.ts";

/** Three records with two candidates each, small enough to check by hand. */
function tiny(): LoggedBanditData {
  return {
    records: 3,
    contextDims: 1,
    actionDims: 2,
    contexts: Float64Array.from([1, 1, 1]),
    candidateOffsets: Uint32Array.from([0, 2, 4, 6]),
    candidates: Float64Array.from([1, 0, 1, 1, 1, 0, 1, 1, 1, 0, 1, 1]),
    logged: Uint32Array.from([0, 1, 1]),
    propensities: Float64Array.from([0.5, 0.25, 0.8]),
    rewards: Float64Array.from([1, 1, 0]),
  };
}

describe("importance-weighted estimators", () => {
  // The target always picks candidate 1.
  const target = Float64Array.from([0, 1, 0, 1, 0, 1]);

  it("weights each logged action by π/p and averages w·r (IPS) or normalises by Σw (SNIPS)", () => {
    const weights = importanceWeights(tiny(), target);
    expect([...weights.weights]).toEqual([0, 4, 1.25]);
    expect(ratioEstimate(ipsTerms(tiny(), weights)).value).toBeCloseTo(4 / 3, 12);
    expect(ratioEstimate(snipsTerms(tiny(), weights)).value).toBeCloseTo(4 / 5.25, 12);
  });

  it("clips weights at the cap, counts them, and (rewards ≥ 0) can only lower the IPS estimate", () => {
    const clipped = importanceWeights(tiny(), target, 2);
    expect([...clipped.weights]).toEqual([0, 2, 1.25]);
    expect(weightDiagnostics(clipped)).toMatchObject({ clipped: 1, maxWeight: 2 });
    expect(ratioEstimate(ipsTerms(tiny(), clipped)).value).toBeLessThan(
      ratioEstimate(ipsTerms(tiny(), importanceWeights(tiny(), target))).value,
    );
  });

  it("makes IPS and SNIPS the plain mean reward when the target is the logging policy", () => {
    const data = tiny();
    const same = Float64Array.from([0.5, 0.5, 0.75, 0.25, 0.2, 0.8]);
    const weights = importanceWeights(data, same);
    expect([...weights.weights]).toEqual([1, 1, 1]);
    expect(ratioEstimate(ipsTerms(data, weights)).value).toBeCloseTo(2 / 3, 12);
    expect(ratioEstimate(snipsTerms(data, weights)).value).toBeCloseTo(2 / 3, 12);
  });

  it("shifts SNIPS exactly with the rewards, which IPS does not do when weights do not average 1", () => {
    const data = tiny();
    const shifted = { ...data, rewards: data.rewards.map((r) => r + 0.5) };
    const weights = importanceWeights(data, target);
    const snips = (d: LoggedBanditData) => ratioEstimate(snipsTerms(d, weights)).value;
    const ips = (d: LoggedBanditData) => ratioEstimate(ipsTerms(d, weights)).value;
    expect(snips(shifted) - snips(data)).toBeCloseTo(0.5, 12);
    expect(ips(shifted) - ips(data)).not.toBeCloseTo(0.5, 3);
  });
});

describe("intervals and the reward model on simulated logs", () => {
  const world = createOpeWorld(3);
  const logging = trainedPolicy(world, "logging", { alpha: 0, temperature: 0.3, epsilon: 0.2 }, 200, 5);
  const data = loggedData(logDecisions(world, logging, 2000, 9));

  it("gives a percentile bootstrap interval close to the normal one when the estimate is well behaved", () => {
    const terms = ipsTerms(
      data,
      importanceWeights(
        data,
        new Float64Array(data.candidates.length / data.actionDims).map((_, row) => {
          // Uniform target over each record's candidates.
          for (let i = 0; i < data.records; i++) {
            if (row < data.candidateOffsets[i + 1]!) {
              return 1 / (data.candidateOffsets[i + 1]! - data.candidateOffsets[i]!);
            }
          }
          return 0;
        }),
      ),
    );
    const normal = ratioEstimate(terms);
    const boot = ratioEstimate(terms, { bootstrap: { resamples: 1000, seed: 1 } });
    expect(boot.value).toBe(normal.value);
    expect(boot.standardError / normal.standardError).toBeGreaterThan(0.85);
    expect(boot.standardError / normal.standardError).toBeLessThan(1.15);
    expect(Math.abs(boot.lower - normal.lower)).toBeLessThan(0.5 * normal.standardError);
  });

  it("predicts each record with a model that never saw it (cross-fitting)", () => {
    const before = crossFitRewardPredictions(data, { folds: 2, seed: 4 });
    const changed = { ...data, rewards: data.rewards.slice() };
    changed.rewards[0] = 1 - changed.rewards[0]!;
    const after = crossFitRewardPredictions(changed, { folds: 2, seed: 4 });
    const own = (p: Float64Array) => [...p.subarray(data.candidateOffsets[0]!, data.candidateOffsets[1]!)];
    expect(own(after)).toEqual(own(before));
    // The record did teach the other fold's model.
    expect([...after]).not.toEqual([...before]);
  });

  it("keeps predictions within the reward range", () => {
    const predictions = crossFitRewardPredictions(data);
    expect(Math.min(...predictions)).toBeGreaterThanOrEqual(-1);
    expect(Math.max(...predictions)).toBeLessThanOrEqual(1);
  });
});

/**
 * The learning loop on a simulated world with a known optimum (test/support/bandit-simulator.ts): the
 * edge ranks and logs, rewards come back, the origin joins, learns and publishes every 100 rounds. The
 * thresholds sit well inside what 20 loop seeds per algorithm gave when this test was written (for
 * softmax-ucb: gain over the fixed ranking 0.141–0.174 per round, last/first-quarter regret 0.29–0.52,
 * last quarter at 0.90–0.94 of the optimum), so a pass is not a lucky seed and a fail is a real regression.
 */
import { describe, expect, it } from "vitest";
import type { BanditConfigInput } from "../../../models/bandit/config.ts";
import { type LoopResult, runBanditLoop, sum } from "../../support/bandit-loop.ts";
import { createSimulator, fixedRanking } from "../../support/bandit-simulator.ts";

const ROUNDS = 3000;
const sim = createSimulator({ seed: 1 });
const fixedScores = fixedRanking(sim, 5000, 99);
const dims = { contextDims: 16, actionDims: 8 };

function quarters(r: LoopResult) {
  const q = ROUNDS / 4;
  const regret = (from: number, to: number) =>
    (sum(r.optimal, from, to) - sum(r.bandit, from, to)) / (to - from);
  return {
    gainPerRound: (sum(r.bandit) - sum(r.fixed)) / ROUNDS,
    firstRegret: regret(0, q),
    lastRegret: regret(3 * q, ROUNDS),
    lastShareOfOptimum: sum(r.bandit, 3 * q, ROUNDS) / sum(r.optimal, 3 * q, ROUNDS),
  };
}

describe("the bandit learning loop on a simulated world", () => {
  it("is a world where personalisation matters: the best fixed ranking earns well under the optimum", () => {
    const r = runBanditLoop(sim, { seed: 1, rounds: 200, config: { ...dims }, fixedScores });
    expect(sum(r.fixed) / sum(r.optimal)).toBeLessThan(0.8);
  });

  it.each<[string, number, BanditConfigInput]>([
    ["softmax-ucb", 101, { algorithm: "softmax-ucb" }],
    ["softmax-ucb", 102, { algorithm: "softmax-ucb" }],
    ["thompson", 103, { algorithm: "thompson" }],
    ["epsilon-greedy", 104, { algorithm: "epsilon-greedy" }],
  ])(
    "%s (loop seed %i): beats the fixed ranking clearly, and its regret shrinks towards the optimum",
    (_, seed, config) => {
      const r = runBanditLoop(sim, { seed, rounds: ROUNDS, config: { ...config, ...dims }, fixedScores });
      const m = quarters(r);
      expect(r.publishes).toBe(ROUNDS / 100);
      expect(m.gainPerRound).toBeGreaterThan(0.1);
      expect(m.lastRegret).toBeLessThan(0.65 * m.firstRegret);
      expect(m.lastShareOfOptimum).toBeGreaterThan(0.88);
    },
  );

  it("also learns with per-isolate online updates between publishes", () => {
    const r = runBanditLoop(sim, {
      seed: 105,
      rounds: ROUNDS,
      config: { ...dims },
      fixedScores,
      online: true,
    });
    const m = quarters(r);
    expect(m.gainPerRound).toBeGreaterThan(0.1);
    expect(m.lastRegret).toBeLessThan(0.85 * m.firstRegret);
    expect(m.lastShareOfOptimum).toBeGreaterThan(0.88);
  });

  it("logs a valid, positive propensity for every decision it made", () => {
    const r = runBanditLoop(sim, { seed: 106, rounds: 300, config: { ...dims }, fixedScores });
    for (const d of r.decisions) {
      expect(d.ranking[0]!.propensity).toBeGreaterThan(0);
      expect(d.ranking[0]!.propensity).toBeLessThanOrEqual(1);
    }
  });
});

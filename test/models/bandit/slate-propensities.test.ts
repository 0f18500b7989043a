import { describe, expect, it } from "vitest";
import {
  accumulateExample,
  createLinearState,
  projectContext,
  refreshLinearState,
} from "../../../models/bandit/linear-state.ts";
import {
  epsilonGreedyAroundRanking,
  type SlotRule,
  sampleSlate,
  slotDistribution,
} from "../../../models/bandit/slate.ts";
import { thompsonSlate, thompsonTopSlotDistribution } from "../../../models/bandit/thompson.ts";
import { mulberry32, randomNormalArray } from "../../../models/random.ts";

const rules: [string, SlotRule][] = [
  ["softmax with a uniform floor", { kind: "softmax", temperature: 0.2, epsilon: 0.1 }],
  ["softmax without a floor", { kind: "softmax", temperature: 0.05, epsilon: 0 }],
  ["epsilon-greedy", { kind: "epsilon-greedy", epsilon: 0.3 }],
  ["greedy", { kind: "greedy" }],
];

const scores = Float64Array.from(randomNormalArray(mulberry32(3), 7, 0.3));

describe("slot distributions", () => {
  it.each(rules)("%s: sums to 1 over the remaining actions and gives taken ones 0", (_, rule) => {
    const taken = Uint8Array.from([0, 1, 0, 0, 1, 0, 0]);
    const p = new Float64Array(scores.length);
    slotDistribution(scores, taken, rule, p);
    expect(p.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    expect(p[1]).toBe(0);
    expect(p[4]).toBe(0);
  });

  it("keeps every remaining action at or above the epsilon floor", () => {
    const taken = new Uint8Array(scores.length);
    const huge = Float64Array.from(scores, (s, i) => (i === 0 ? 1000 : s));
    for (const rule of [
      { kind: "softmax", temperature: 0.01, epsilon: 0.14 },
      { kind: "epsilon-greedy", epsilon: 0.14 },
    ] as const) {
      const p = new Float64Array(scores.length);
      slotDistribution(huge, taken, rule, p);
      expect(Math.min(...p)).toBeGreaterThanOrEqual(0.14 / scores.length - 1e-15);
    }
  });

  it("gives epsilon-greedy's exact probabilities: 1 − ε + ε/n for the best, ε/n for the rest", () => {
    const p = new Float64Array(scores.length);
    slotDistribution(scores, new Uint8Array(scores.length), { kind: "epsilon-greedy", epsilon: 0.3 }, p);
    const best = scores.indexOf(Math.max(...scores));
    p.forEach((v, a) => {
      expect(v).toBeCloseTo(a === best ? 0.7 + 0.3 / 7 : 0.3 / 7, 15);
    });
  });
});

describe("sampled slates", () => {
  it.each(rules)("%s: never logs a 0 propensity and logs what the slot distribution said", (_, rule) => {
    const rng = mulberry32(11);
    for (let trial = 0; trial < 200; trial++) {
      const slate = sampleSlate(scores, 4, rule, rng);
      expect(new Set(slate.order).size).toBe(4);
      const taken = new Uint8Array(scores.length);
      const p = new Float64Array(scores.length);
      slate.order.forEach((a, s) => {
        slotDistribution(scores, taken, rule, p);
        expect(slate.propensities[s]).toBeGreaterThan(0);
        expect(slate.propensities[s]).toBe(p[a]);
        taken[a] = 1;
      });
    }
  });

  it("draws each slot with the frequency its logged propensity states (top slot and the second given the first)", () => {
    const rule: SlotRule = { kind: "softmax", temperature: 0.3, epsilon: 0.05 };
    const rng = mulberry32(5);
    const draws = 40_000;
    const first = new Float64Array(scores.length);
    const logged = new Float64Array(scores.length);
    const secondAfter0 = new Float64Array(scores.length);
    const secondLogged = new Float64Array(scores.length);
    let after0 = 0;
    for (let t = 0; t < draws; t++) {
      const slate = sampleSlate(scores, 2, rule, rng);
      first[slate.order[0]!]!++;
      logged[slate.order[0]!] = slate.propensities[0]!;
      if (slate.order[0] === 0) {
        after0++;
        secondAfter0[slate.order[1]!]!++;
        secondLogged[slate.order[1]!] = slate.propensities[1]!;
      }
    }
    for (let a = 0; a < scores.length; a++) {
      const p = logged[a]!;
      expect(Math.abs(first[a]! / draws - p)).toBeLessThan(4.5 * Math.sqrt((p * (1 - p)) / draws));
      if (a !== 0 && secondLogged[a]! > 0) {
        const q = secondLogged[a]!;
        expect(Math.abs(secondAfter0[a]! / after0 - q)).toBeLessThan(4.5 * Math.sqrt((q * (1 - q)) / after0));
      }
    }
  });

  it("follows a base ranking with probability 1 − ε per slot around it", () => {
    const base = Uint32Array.from([3, 0, 2, 1]);
    const rng = mulberry32(2);
    let kept = 0;
    const trials = 20_000;
    for (let t = 0; t < trials; t++) {
      const slate = epsilonGreedyAroundRanking(base, 2, 0.2, rng);
      kept += slate.order[0] === 3 ? 1 : 0;
      expect(slate.propensities[0]).toBeCloseTo(slate.order[0] === 3 ? 0.8 + 0.05 : 0.05, 15);
    }
    expect(Math.abs(kept / trials - 0.85)).toBeLessThan(0.015);
  });
});

describe("Thompson sampling propensities (estimated)", () => {
  const state = createLinearState(2, 4, 1);
  const rng = mulberry32(8);
  const actions = Float64Array.from({ length: 5 * 4 }, (_, i) => (i % 4 === 0 ? 1 : rng() - 0.5));
  for (let e = 0; e < 30; e++) {
    accumulateExample(state, Float64Array.from([1, 0.5]), actions, (e % 5) * 4, e % 5 === 2 ? 1 : 0);
  }
  refreshLinearState(state);
  const projection = projectContext(state, Float64Array.from([1, 0.5]));
  const options = { posteriorScale: 0.5, epsilon: 0.1, propensityDraws: 256 };

  it("sums to 1 per slot and keeps a shown action above the epsilon floor", () => {
    const out = new Float64Array(5);
    thompsonTopSlotDistribution(projection, actions, 5, options, mulberry32(1), out);
    expect(out.reduce((s, v) => s + v, 0)).toBeCloseTo(1, 12);
    for (let t = 0; t < 50; t++) {
      const slate = thompsonSlate(projection, actions, 5, 3, options, mulberry32(100 + t));
      slate.propensities.forEach((p, s) => {
        expect(p).toBeGreaterThanOrEqual(0.1 / (5 - s) - 1e-15);
      });
    }
  });

  it("estimates top-slot propensities within Monte Carlo error of the actual choice frequencies", () => {
    const reference = new Float64Array(5);
    thompsonTopSlotDistribution(
      projection,
      actions,
      5,
      { ...options, propensityDraws: 4096 },
      mulberry32(9),
      reference,
    );
    const counts = new Float64Array(5);
    const trials = 4000;
    for (let t = 0; t < trials; t++) {
      counts[
        thompsonSlate(projection, actions, 5, 1, { ...options, propensityDraws: 16 }, mulberry32(1000 + t))
          .order[0]!
      ]!++;
    }
    for (let a = 0; a < 5; a++) {
      const p = reference[a]!;
      // Error of the frequency (trials) plus that of the reference estimate (4096 draws).
      const tolerance = 4.5 * Math.sqrt((p * (1 - p)) / trials + (p * (1 - p)) / 4096);
      expect(Math.abs(counts[a]! / trials - p)).toBeLessThan(tolerance);
    }
  });
});

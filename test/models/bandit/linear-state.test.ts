import { describe, expect, it } from "vitest";
import {
  accumulateExample,
  cloneLinearState,
  createLinearState,
  projectContext,
  refreshLinearState,
  updateLinearStateOnline,
} from "../../../models/bandit/linear-state.ts";
import { mulberry32 } from "../../../models/random.ts";

const dc = 3;
const da = 4;

function examples(seed: number, count: number) {
  const rng = mulberry32(seed);
  return Array.from({ length: count }, () => ({
    context: Float64Array.from({ length: dc }, (_, i) => (i === 0 ? 1 : rng() < 0.3 ? 0 : rng() * 2 - 1)),
    action: Float64Array.from({ length: da }, (_, j) => (j === 0 ? 1 : rng() * 2 - 1)),
    reward: rng() < 0.5 ? 1 : 0,
  }));
}

/** z = x ⊗ y, the full joint vector, for checks written without the projection trick. */
function joint(x: Float64Array, y: Float64Array): Float64Array {
  return Float64Array.from({ length: dc * da }, (_, p) => x[Math.floor(p / da)]! * y[p % da]!);
}

describe("linear bandit state", () => {
  it("keeps A⁻¹ and θ current online (Sherman–Morrison) exactly as a batch inversion computes them", () => {
    const online = createLinearState(dc, da, 1);
    const batch = createLinearState(dc, da, 1);
    for (const e of examples(1, 200)) {
      updateLinearStateOnline(online, e.context, e.action, 0, e.reward);
      accumulateExample(batch, e.context, e.action, 0, e.reward);
    }
    refreshLinearState(batch);
    expect(online.examples).toBe(200);
    online.theta.forEach((v, i) => {
      expect(v).toBeCloseTo(batch.theta[i]!, 9);
    });
    online.aInverse.forEach((v, i) => {
      expect(v).toBeCloseTo(batch.aInverse[i]!, 9);
    });
  });

  it("accumulates the same sufficient statistics whatever the order of the examples", () => {
    const forward = createLinearState(dc, da, 2);
    const backward = createLinearState(dc, da, 2);
    const list = examples(2, 100);
    for (const e of list) {
      accumulateExample(forward, e.context, e.action, 0, e.reward);
    }
    for (const e of [...list].reverse()) {
      accumulateExample(backward, e.context, e.action, 0, e.reward);
    }
    forward.a.forEach((v, i) => {
      expect(v).toBeCloseTo(backward.a[i]!, 12);
    });
    forward.b.forEach((v, i) => {
      expect(v).toBeCloseTo(backward.b[i]!, 12);
    });
  });

  it("recovers a linear reward function from noiseless rewards (ridge with a tiny penalty)", () => {
    const state = createLinearState(dc, da, 1e-6);
    const truth = Float64Array.from({ length: dc * da }, (_, p) => Math.sin(p + 1));
    for (const e of examples(3, 400)) {
      const z = joint(e.context, e.action);
      const reward = z.reduce((s, v, p) => s + v * truth[p]!, 0);
      accumulateExample(state, e.context, e.action, 0, reward);
    }
    refreshLinearState(state);
    state.theta.forEach((v, p) => {
      expect(v).toBeCloseTo(truth[p]!, 4);
    });
  });

  it("projects a context so that gᵀy = θᵀz and yᵀMy = zᵀA⁻¹z for every action", () => {
    const state = createLinearState(dc, da, 1);
    for (const e of examples(4, 50)) {
      accumulateExample(state, e.context, e.action, 0, e.reward);
    }
    refreshLinearState(state);
    const d = dc * da;
    for (const e of examples(5, 10)) {
      const { mean, covariance } = projectContext(state, e.context);
      const z = joint(e.context, e.action);
      const direct = z.reduce((s, v, p) => s + v * state.theta[p]!, 0);
      let quadratic = 0;
      for (let p = 0; p < d; p++) {
        for (let q = 0; q < d; q++) {
          quadratic += z[p]! * state.aInverse[p * d + q]! * z[q]!;
        }
      }
      const y = e.action;
      expect(y.reduce((s, v, j) => s + v * mean[j]!, 0)).toBeCloseTo(direct, 12);
      let projected = 0;
      for (let j = 0; j < da; j++) {
        for (let l = 0; l < da; l++) {
          projected += y[j]! * covariance[j * da + l]! * y[l]!;
        }
      }
      expect(projected).toBeCloseTo(quadratic, 12);
    }
  });

  it("clones into independent arrays", () => {
    const state = createLinearState(dc, da, 1);
    const copy = cloneLinearState(state);
    const [e] = examples(6, 1);
    updateLinearStateOnline(copy, e!.context, e!.action, 0, 1);
    expect(state.examples).toBe(0);
    expect(state.b.every((v) => v === 0)).toBe(true);
  });
});

import { describe, expect, it } from "vitest";
import { BanditConfig } from "../../../models/bandit/config.ts";
import { accumulateExample, refreshLinearState } from "../../../models/bandit/linear-state.ts";
import { createBanditPolicy, encodeCandidates, topSlotDistribution } from "../../../models/bandit/policy.ts";
import {
  banditPolicyFromFile,
  banditPolicyToFile,
  decodeBanditPolicy,
  encodeBanditPolicy,
} from "../../../models/bandit/policy-file.ts";
import { mulberry32 } from "../../../models/random.ts";

function trainedPolicy() {
  const config = BanditConfig.parse({ contextDims: 8, actionDims: 8 });
  const policy = createBanditPolicy({ id: "home-bandit", version: "3", surface: "home", config });
  const rng = mulberry32(4);
  for (let e = 0; e < 300; e++) {
    const encoded = encodeCandidates(config, { x: rng() * 2 - 1, seg: rng() < 0.5 ? "a" : "b" }, [
      { id: "i", vector: Array.from({ length: 7 }, () => rng() - 0.5) },
    ]);
    accumulateExample(policy.state, encoded.context, encoded.actions, 0, rng() < 0.3 ? 1 : 0);
  }
  refreshLinearState(policy.state);
  return policy;
}

describe("published bandit policies", () => {
  it("round-trips the sufficient statistics bit for bit and decides identically after decoding", () => {
    const policy = trainedPolicy();
    const bytes = encodeBanditPolicy(policy);
    const loaded = decodeBanditPolicy(bytes);
    expect(loaded.state.a).toEqual(policy.state.a);
    expect(loaded.state.b).toEqual(policy.state.b);
    expect(loaded.state.examples).toBe(300);
    expect({ ...loaded, state: null }).toEqual({ ...policy, state: null });
    const encoded = encodeCandidates(policy.config, { x: 0.3, seg: "a" }, [
      { id: "p", vector: [0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7] },
      { id: "q", vector: [-0.1, 0, 0.3, -0.4, 0.5, 0, 0.2] },
    ]);
    const before = topSlotDistribution(policy, encoded, mulberry32(1));
    const after = topSlotDistribution(loaded, encoded, mulberry32(1));
    before.forEach((p, a) => {
      expect(after[a]).toBeCloseTo(p, 12);
    });
  });

  it("stays one small KV value: about 23 KB for d = 64", () => {
    expect(encodeBanditPolicy(trainedPolicy()).length).toBeLessThan(25_000);
  });

  it("refuses parameters trained for other dimensions than the config names", () => {
    const file = banditPolicyToFile(trainedPolicy());
    expect(() => banditPolicyFromFile({ ...file, config: { ...file.config, actionDims: 4 } })).toThrow(
      /dimensions/,
    );
  });

  it("refuses a truncated statistics array and a matrix that is not positive definite", () => {
    const file = banditPolicyToFile(trainedPolicy());
    expect(() =>
      banditPolicyFromFile({ ...file, parameters: { ...file.parameters, b: file.parameters.a } }),
    ).toThrow(/float64 values/);
    const zero = banditPolicyToFile(
      createBanditPolicy({ ...file, config: BanditConfig.parse({ ...file.config, ridge: 1 }) }),
    );
    const zeros = btoa(String.fromCharCode(...new Uint8Array(atob(zero.parameters.a).length)));
    expect(() => banditPolicyFromFile({ ...zero, parameters: { ...zero.parameters, a: zeros } })).toThrow(
      /positive definite/,
    );
  });
});

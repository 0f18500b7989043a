import { describe, expect, it } from "vitest";
import type { DecisionRecord } from "../../../../models/contracts/decision.ts";
import {
  comparePolicies,
  type LoggedBanditData,
  publishGate,
} from "../../../../origin/learn/policy-evaluation/index.ts";
import {
  createOpeWorld,
  logDecisions,
  loggedData,
  type OpeWorld,
  trainedPolicy,
} from "../../../support/ope-world.ts";

/**
 * A deterministic policy that shows, in each logged record, the candidate with the lowest true click rate.
 * Records are in decision order (the join sorts by ts, and the log's ts grow with its index).
 */
function worstPolicy(
  world: OpeWorld,
  data: LoggedBanditData,
  decisions: readonly DecisionRecord[],
): Float64Array {
  const out = new Float64Array(data.candidateOffsets[data.records]!);
  decisions.forEach((decision, i) => {
    const u = Number(decision.user_id!.slice("user-".length));
    const user = world.users[u]!;
    const offered = world.candidates[u]!;
    let worst = 0;
    offered.forEach((item, a) => {
      if (world.sim.clickProbability(user, item) < world.sim.clickProbability(user, offered[worst]!)) {
        worst = a;
      }
    });
    out[data.candidateOffsets[i]! + worst] = 1;
  });
  return out;
}

describe("comparing a candidate with the logging policy", () => {
  const world = createOpeWorld(2);
  const logging = trainedPolicy(world, "logging", { alpha: 0, temperature: 0.3, epsilon: 0.2 }, 200, 1);
  const better = trainedPolicy(world, "better", { alpha: 0, temperature: 0.05, epsilon: 0.02 }, 3000, 2);
  const logs = logDecisions(world, logging, 3000, 3);
  const data = loggedData(logs);

  it("recommends publishing a clearly better candidate", () => {
    const result = comparePolicies(data, better, "observed");
    expect(result.recommendation).toBe("publish");
    expect(result.difference.dr.lower).toBeGreaterThan(0);
    expect(result.logging.dr.value).toBeCloseTo(data.rewards.reduce((s, r) => s + r, 0) / data.records, 12);
    expect(publishGate(result)).toMatchObject({ publish: true });
  });

  it("refuses a clearly worse candidate unless forced", () => {
    const result = comparePolicies(data, worstPolicy(world, data, logs.decisions), "observed");
    expect(result.recommendation).toBe("dont_publish");
    expect(result.difference.dr.upper).toBeLessThan(0);
    expect(publishGate(result)).toMatchObject({ publish: false });
    expect(publishGate(result, { force: true })).toMatchObject({ publish: true });
    expect(publishGate(result, { force: true }).reason).toMatch(/^forced despite: worse/);
  });

  it("calls the logging policy against itself inconclusive, which passes unless improvement is required", () => {
    const result = comparePolicies(data, logging, logging);
    expect(result.recommendation).toBe("inconclusive");
    expect(result.difference.dr.value).toBe(0);
    expect(publishGate(result)).toMatchObject({ publish: true });
    expect(publishGate(result, { requireImprovement: true })).toMatchObject({ publish: false });
  });

  it("pairs the difference: its interval is narrower than either policy's own", () => {
    const result = comparePolicies(data, better, logging);
    const width = (e: { lower: number; upper: number }) => e.upper - e.lower;
    expect(width(result.difference.dr)).toBeLessThan(width(result.candidate.dr));
    expect(result.diagnostics.logging?.meanWeight).toBeCloseTo(1, 12);
  });
});

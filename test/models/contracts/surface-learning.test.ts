/** The surface sections of the learning loop: GET /recommendations' exploration, POST /rank's bandit, experiments. */
import { describe, expect, it } from "vitest";
import { BanditConfig } from "../../../models/bandit/index.ts";
import { SurfaceConfig } from "../../../models/contracts/index.ts";

const parse = (patch: Record<string, unknown>) => SurfaceConfig.safeParse({ name: "home", ...patch });

describe("a surface's learning sections", () => {
  it("reads the exploration older manifests carry ({} or none) as none, with no other keys", () => {
    expect(parse({ exploration: {} }).data?.exploration).toEqual({ strategy: "none" });
    expect(parse({ exploration: { strategy: "none" } }).data?.exploration).toEqual({ strategy: "none" });
  });

  it("fills epsilon-greedy's rate and pool, and refuses a rate outside (0, 1]", () => {
    expect(parse({ exploration: { strategy: "epsilon-greedy" } }).data?.exploration).toEqual({
      strategy: "epsilon-greedy",
      epsilon: 0.1,
      pool: 20,
    });
    expect(parse({ exploration: { strategy: "epsilon-greedy", epsilon: 0 } }).success).toBe(false);
    expect(parse({ exploration: { strategy: "epsilon-greedy", epsilon: 1.5 } }).success).toBe(false);
    expect(parse({ exploration: { strategy: "softmax" } }).success).toBe(false);
  });

  it("checks the bandit section with the bandit's own schema, and leaves it out when absent", () => {
    expect(parse({}).data?.bandit).toBeUndefined();
    expect(parse({ bandit: { algorithm: "thompson" } }).data?.bandit).toEqual(
      BanditConfig.parse({ algorithm: "thompson" }),
    );
    expect(parse({ bandit: { algorithm: "thompson", epsilon: 0 } }).success).toBe(false);
    expect(parse({ bandit: { contextDims: 64, actionDims: 8 } }).success).toBe(false);
  });

  it("takes an experiment whose arms have unique ids and fit a policy id of 64 characters", () => {
    const arms = [
      { id: "control", weight: 1 },
      { id: "greedy", weight: 2, bandit: { algorithm: "epsilon-greedy" }, exploration: { strategy: "none" } },
    ];
    expect(parse({ experiment: { id: "exp-1", arms } }).data?.experiment?.arms[1]?.bandit?.algorithm).toBe(
      "epsilon-greedy",
    );
    expect(parse({ experiment: { id: "exp-1", arms: [arms[0], arms[0]] } }).success).toBe(false);
    expect(parse({ experiment: { id: "exp-1", arms: [{ id: "a", weight: 0 }] } }).success).toBe(false);
    const long = SurfaceConfig.safeParse({
      name: "s".repeat(40),
      experiment: { id: "e", arms: [{ id: "a".repeat(24), weight: 1 }] },
    });
    expect(long.success).toBe(false);
  });
});

import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { banditPolicyToFile } from "../../../models/bandit/policy-file.ts";
import { UsageError } from "../../../origin/cli/command.ts";
import { evaluatePolicyCommand } from "../../../origin/cli/commands/evaluate-policy.ts";
import { createOpeWorld, logDecisions, trainedPolicy } from "../../support/ope-world.ts";

let dir: string;
const file = (name: string) => path.join(dir, name);
let now: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "edgewise-evaluate-policy-"));
  const world = createOpeWorld(2);
  const logging = trainedPolicy(world, "logging", { alpha: 0, temperature: 0.3, epsilon: 0.2 }, 200, 1);
  const better = trainedPolicy(world, "better", { alpha: 0, temperature: 0.05, epsilon: 0.02 }, 3000, 2);
  const worse = trainedPolicy(world, "worse", { alpha: 0, temperature: 0.05, epsilon: 0.02 }, 3000, 2, true);
  const logs = logDecisions(world, logging, 2000, 3);
  const junkRewards = [
    "not json",
    JSON.stringify({
      decision_id: logs.decisions[0]!.decision_id,
      event_id: "x",
      ts: logs.decisions[0]!.ts,
      reward: 5,
    }),
  ];
  await writeFile(
    file("decisions.ndjson"),
    `${logs.decisions.map((d) => JSON.stringify(d)).join("\n")}\n{"broken": true}\n`,
  );
  await writeFile(
    file("rewards.ndjson"),
    `${[...logs.rewards.map((r) => JSON.stringify(r)), ...junkRewards].join("\n")}\n`,
  );
  await writeFile(file("better.json"), JSON.stringify(banditPolicyToFile(better)));
  await writeFile(file("worse.json"), JSON.stringify(banditPolicyToFile(worse)));
  await writeFile(file("logging.json"), JSON.stringify(banditPolicyToFile(logging)));
  now = String(logs.decisions[logs.decisions.length - 1]!.ts + 3_600_000);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(extra: string[]): Promise<{ code: number; out: string }> {
  const lines: string[] = [];
  const spy = vi.spyOn(console, "log").mockImplementation((line: string) => {
    lines.push(line);
  });
  try {
    const code = await evaluatePolicyCommand.run([
      "--decisions",
      file("decisions.ndjson"),
      "--rewards",
      file("rewards.ndjson"),
      "--now",
      now,
      ...extra,
    ]);
    return { code, out: lines.join("\n") };
  } finally {
    spy.mockRestore();
  }
}

describe("edgewise evaluate-policy", () => {
  it("prints IPS, SNIPS and DR for a better candidate and exits 0", async () => {
    const { code, out } = await run(["--candidate", file("better.json")]);
    expect(code).toBe(0);
    expect(out).toMatch(/^IPS +\d/m);
    expect(out).toMatch(/^SNIPS +\d/m);
    expect(out).toMatch(/^DR +\d/m);
    expect(out).toContain("recommendation: publish");
    expect(out).toContain("1 invalid lines");
  });

  it("exits 1 for a worse candidate, and 0 with --force", async () => {
    const refused = await run(["--candidate", file("worse.json")]);
    expect(refused.code).toBe(1);
    expect(refused.out).toContain("recommendation: dont_publish");
    expect(refused.out).toContain("gate: do not publish");
    const forced = await run(["--candidate", file("worse.json"), "--force"]);
    expect(forced.code).toBe(0);
    expect(forced.out).toContain("gate: publish");
  });

  it("reports the join's counters and the comparison as JSON, with a policy file as the baseline", async () => {
    const { code, out } = await run([
      "--candidate",
      file("better.json"),
      "--logging",
      file("logging.json"),
      "--json",
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(out);
    expect(result.inputs).toMatchObject({ invalidDecisionLines: 1, invalidRewardLines: 1 });
    expect(result.inputs.join).toMatchObject({ decisions: 2000, closedDecisions: 2000, invalid: 1 });
    expect(result.comparison.recommendation).toBe("publish");
    expect(result.comparison.diagnostics.logging.meanWeight).toBeCloseTo(1, 12);
    expect(result.gate.publish).toBe(true);
  });

  it("uses bootstrap intervals and clipped weights when asked", async () => {
    const { out } = await run([
      "--candidate",
      file("better.json"),
      "--bootstrap",
      "200",
      "--clip",
      "5",
      "--json",
    ]);
    const result = JSON.parse(out);
    expect(result.comparison.candidate.dr.method).toBe("bootstrap");
    expect(result.comparison.diagnostics.candidate.maxWeight).toBeLessThanOrEqual(5);
  });

  it("refuses missing files, unknown options and bad values as usage errors", async () => {
    await expect(evaluatePolicyCommand.run(["--decisions", "x"])).rejects.toThrow(UsageError);
    await expect(run(["--candidate", file("better.json"), "--nope"])).rejects.toThrow(UsageError);
    await expect(run(["--candidate", file("better.json"), "--estimator", "mean"])).rejects.toThrow(
      UsageError,
    );
    await expect(run(["--candidate", file("decisions.ndjson")])).rejects.toThrow(/not a valid policy file/);
  });
});

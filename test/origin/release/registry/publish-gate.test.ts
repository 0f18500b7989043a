import { describe, expect, it } from "vitest";
import {
  type CandidateModel,
  gateCandidates,
  headlineMetric,
  judgeCandidate,
} from "../../../../origin/release/registry/index.ts";

const recs = (ndcg: number | undefined) => ({
  name: "recs",
  version: "new",
  kind: "mf",
  metrics: (ndcg === undefined ? {} : { "ndcg@10": ndcg }) as Record<string, number>,
});
const serving = (ndcg: number) => ({ version: "old", metrics: { "ndcg@10": ndcg } });
/** A model as a release candidate, with placeholder size, hash and training window (the gate reads none). */
const candidate = (
  model: Omit<CandidateModel, "sizeBytes" | "sha256" | "trainingWindow">,
): CandidateModel => ({
  ...model,
  sizeBytes: 1,
  sha256: "",
  trainingWindow: null,
});

describe("the publish gate", () => {
  it("judges recommenders by nDCG@10 and classifiers by AUC", () => {
    expect(headlineMetric("mf")).toBe("ndcg@10");
    expect(headlineMetric("popularity")).toBe("ndcg@10");
    expect(headlineMetric("linear-classifier")).toBe("auc");
  });

  it("passes a first model, one within the tolerance and one that improves", () => {
    expect(judgeCandidate(recs(0.1), null, { tolerance: 0.02 }).accepted).toBe(true);
    expect(judgeCandidate(recs(0.295), serving(0.3), { tolerance: 0.02 }).accepted).toBe(true);
    expect(judgeCandidate(recs(0.35), serving(0.3), { tolerance: 0 }).accepted).toBe(true);
  });

  it("refuses a model worse by more than the relative tolerance, and says by how much", () => {
    const decision = judgeCandidate(recs(0.29), serving(0.3), { tolerance: 0.02 });
    expect(decision).toMatchObject({
      accepted: false,
      candidateValue: 0.29,
      servingValue: 0.3,
      servingVersion: "old",
    });
    expect(decision.reason).toMatch(/3\.3 % worse, over the 2\.0 % tolerance/);
  });

  it("refuses a model that cannot show its headline metric when the serving one has it", () => {
    expect(judgeCandidate(recs(undefined), serving(0.3), { tolerance: 0.5 }).accepted).toBe(false);
  });

  it("lets a forced model through and says so", () => {
    const decision = judgeCandidate(recs(0.1), serving(0.3), { tolerance: 0.02, force: true });
    expect(decision.accepted).toBe(true);
    expect(decision.reason).toMatch(/^forced past the gate: /);
  });

  it("refuses a model that does not beat its naive baseline by the margin, even when forced", () => {
    const withBaseline = (ndcg: number) => ({ ...recs(ndcg), baseline: { name: "popularity", value: 0.2 } });
    expect(judgeCandidate(withBaseline(0.25), null, { tolerance: 0.02 })).toMatchObject({
      accepted: true,
      refusedBy: null,
    });
    const refused = judgeCandidate(withBaseline(0.203), null, { tolerance: 0.02, force: true });
    expect(refused).toMatchObject({ accepted: false, refusedBy: "baseline" });
    expect(refused.reason).toMatch(/ndcg@10 0\.2030 vs popularity 0\.2000: does not beat .*needs > 0\.2040/);
    expect(judgeCandidate(withBaseline(0.203), null, { tolerance: 0.02, baselineMargin: 0 }).accepted).toBe(
      true,
    );
  });

  it("lets the release through when a model is refused only against its baseline", async () => {
    const candidates: CandidateModel[] = [
      candidate(recs(0.31)),
      candidate({
        name: "behaviour",
        version: "new",
        kind: "linear-classifier",
        metrics: { auc: 0.5 },
        baseline: { name: "base rate", value: 0.5 },
      }),
    ];
    const gate = await gateCandidates({ serving: async () => null }, candidates, { tolerance: 0.02 });
    expect(gate.accepted).toBe(true);
    expect(gate.decisions.map((d) => d.refusedBy)).toEqual([null, "baseline"]);
  });

  it("refuses the whole release when any of its models is refused", async () => {
    const servingMetrics: Record<string, { version: string; metrics: Record<string, number> }> = {
      recs: serving(0.3),
      sentiment: { version: "old", metrics: { auc: 0.9 } },
    };
    const candidates: CandidateModel[] = [
      candidate(recs(0.31)),
      candidate({ name: "sentiment", version: "new", kind: "linear-classifier", metrics: { auc: 0.7 } }),
    ];
    const registry = { serving: async (name: string) => servingMetrics[name] ?? null };
    const gate = await gateCandidates(registry, candidates, { tolerance: 0.02 });
    expect(gate.accepted).toBe(false);
    expect(gate.decisions.map((d) => d.accepted)).toEqual([true, false]);
  });
});

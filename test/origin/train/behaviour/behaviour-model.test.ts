import { describe, expect, it } from "vitest";
import type { TabularRow } from "../../../../models/features/index.ts";
import { mulberry32 } from "../../../../models/random.ts";
import {
  exportBehaviourModel,
  majorityClassBaseline,
  predictBehaviour,
  predictBehaviourWithOnnx,
  trainBehaviourModel,
} from "../../../../origin/train/behaviour/index.ts";
import { evaluateClassifier, rocAuc } from "../../../../origin/train/evaluation/index.ts";

/**
 * Rows drawn from a known logistic model: P(churn) = σ(−1 + 1.5·z(tenure_short) + 2·[plan = monthly]
 * − 1·[plan = yearly]) with z a standard normal; `noise` is an irrelevant numeric column.
 */
function generate(n: number, seed: number): { rows: TabularRow[]; labels: Uint8Array; truth: Float32Array } {
  const rng = mulberry32(seed);
  const plans = ["monthly", "yearly", "two-year"];
  const rows: TabularRow[] = [];
  const labels = new Uint8Array(n);
  const truth = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const short = Math.sqrt(-2 * Math.log(1 - rng())) * Math.cos(2 * Math.PI * rng());
    const plan = plans[Math.floor(rng() * 3)]!;
    const logit = -1 + 1.5 * short + (plan === "monthly" ? 2 : 0) - (plan === "yearly" ? 1 : 0);
    truth[i] = 1 / (1 + Math.exp(-logit));
    labels[i] = rng() < truth[i]! ? 1 : 0;
    rows.push({ short, plan, noise: rng() * 100 });
  }
  return { rows, labels, truth };
}

describe("behaviour model", () => {
  const train = generate(3000, 1);
  const test = generate(1000, 2);
  const columns = { numeric: ["short", "noise"], categorical: ["plan"] };
  const { model } = trainBehaviourModel(train.rows, train.labels, { ...columns, epochs: 10 });

  it("recovers the generating model's ranking: test AUC within 0.02 of the true probabilities' AUC", () => {
    const bayes = rocAuc(test.labels, test.truth);
    const learned = rocAuc(test.labels, predictBehaviour(model, test.rows));
    expect(learned).toBeGreaterThan(bayes - 0.02);
  });

  it("learns the signs of the true effects and ignores the noise column", () => {
    // encoded order: short, noise, plan=monthly, plan=two-year, plan=yearly
    const w = model.classifier.weights;
    expect(w[0]).toBeGreaterThan(1);
    expect(Math.abs(w[1]!)).toBeLessThan(0.2);
    expect(w[2]!).toBeGreaterThan(w[3]!);
    expect(w[3]!).toBeGreaterThan(w[4]!);
  });

  it("beats the majority-class baseline, whose AUC is 0.5", () => {
    const p = majorityClassBaseline(train.labels);
    const baseline = evaluateClassifier(test.labels, new Float32Array(test.labels.length).fill(p));
    const learned = evaluateClassifier(test.labels, predictBehaviour(model, test.rows));
    expect(baseline.rocAuc).toBe(0.5);
    expect(learned.rocAuc).toBeGreaterThan(0.75);
    expect(learned.logLoss).toBeLessThan(baseline.logLoss);
  });

  it("runs the same through onnxruntime-web in float32 and loses under 1 % AUC in int8", async () => {
    const reference = predictBehaviour(model, test.rows);
    const f32 = await predictBehaviourWithOnnx(exportBehaviourModel(model, "float32"), model, test.rows);
    const i8 = await predictBehaviourWithOnnx(exportBehaviourModel(model, "int8"), model, test.rows);
    for (let i = 0; i < reference.length; i++) {
      expect(f32[i]).toBeCloseTo(reference[i]!, 5);
    }
    const aucF32 = rocAuc(test.labels, f32);
    expect(rocAuc(test.labels, i8)).toBeGreaterThan(aucF32 * 0.99);
  });
});

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
import { predictGbdt, trainGbdt } from "../../../../origin/train/trees/index.ts";

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
  const { model } = trainBehaviourModel(train.rows, train.labels, {
    ...columns,
    epochs: 10,
    learners: ["logistic"],
  });

  it("recovers the generating model's ranking: test AUC within 0.02 of the true probabilities' AUC", () => {
    const bayes = rocAuc(test.labels, test.truth);
    const learned = rocAuc(test.labels, predictBehaviour(model, test.rows));
    expect(learned).toBeGreaterThan(bayes - 0.02);
  });

  it("learns the signs of the true effects and ignores the noise column", () => {
    // encoded order: short, noise, plan=monthly, plan=two-year, plan=yearly
    expect(model.classifier.learner).toBe("logistic");
    const w = model.classifier.learner === "logistic" ? model.classifier.model.weights : new Float32Array(5);
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

/**
 * Rows where the label depends on an interaction a linear model cannot express: churn is likely for
 * monthly plans with short tenure, and for long-tenure customers on the "fiber" service, unlikely otherwise.
 */
function generateInteractions(n: number, seed: number): { rows: TabularRow[]; labels: Uint8Array } {
  const rng = mulberry32(seed);
  const rows: TabularRow[] = [];
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const tenure = Math.floor(rng() * 72);
    const plan = rng() < 0.5 ? "monthly" : "yearly";
    const service = rng() < 0.5 ? "fiber" : "dsl";
    const risky = (plan === "monthly" && tenure < 12) || (service === "fiber" && tenure > 48);
    labels[i] = rng() < (risky ? 0.8 : 0.1) ? 1 : 0;
    rows.push({ tenure, plan, service });
  }
  return { rows, labels };
}

describe("behaviour model with gradient-boosted trees", () => {
  const train = generateInteractions(3000, 11);
  const test = generateInteractions(1500, 12);
  const columns = { numeric: ["tenure"], categorical: ["plan", "service"] };
  const chosen = trainBehaviourModel(train.rows, train.labels, columns);
  const logistic = trainBehaviourModel(train.rows, train.labels, { ...columns, learners: ["logistic"] });

  it("chooses the trees on validation when the label hangs on interactions, and they rank better", () => {
    expect(chosen.model.classifier.learner).toBe("gbdt");
    expect(new Set(chosen.trials.map((t) => t.learner))).toEqual(new Set(["logistic", "gbdt"]));
    const trees = rocAuc(test.labels, predictBehaviour(chosen.model, test.rows));
    const linear = rocAuc(test.labels, predictBehaviour(logistic.model, test.rows));
    expect(trees).toBeGreaterThan(linear + 0.05);
    // The generating rule's own AUC: risky rows at 0.8, the rest at 0.1.
    expect(trees).toBeGreaterThan(0.82);
  });

  it("exports as an ai.onnx.ml tree ensemble that onnxruntime-web scores like the trainer", async () => {
    const built = exportBehaviourModel(chosen.model, "float32");
    expect(built.kind).toBe("tree-ensemble");
    const reference = predictBehaviour(chosen.model, test.rows);
    const onnx = await predictBehaviourWithOnnx(built, chosen.model, test.rows);
    for (let i = 0; i < reference.length; i++) {
      expect(Math.abs(onnx[i]! - reference[i]!)).toBeLessThan(1e-6);
    }
  });

  it("keeps the validation-chosen number of trees when it refits, and the same data gives the same trees", () => {
    const again = trainBehaviourModel(train.rows, train.labels, columns);
    expect(again.model).toEqual(chosen.model);
    const trial = chosen.trials.find(
      (t) =>
        t.learner === "gbdt" &&
        t.validationLogLoss === Math.min(...chosen.trials.map((x) => x.validationLogLoss)),
    );
    const classifier = chosen.model.classifier;
    expect(classifier.learner === "gbdt" ? classifier.model.trees.length : 0).toBe(trial?.settings.trees);
  });
});

describe("gradient boosting", () => {
  /** y = 1 when x0 > 0.3 (x1 is noise): one split says it all. */
  function stepData(n: number, seed: number) {
    const rng = mulberry32(seed);
    const x = new Float32Array(n * 2);
    const labels = new Uint8Array(n);
    for (let r = 0; r < n; r++) {
      x[r * 2] = rng();
      x[r * 2 + 1] = rng();
      labels[r] = x[r * 2]! > 0.3 ? 1 : 0;
    }
    return { x, rows: n, labels };
  }

  it("finds the step: its first tree splits on column 0 near 0.3, and it classifies held-out rows", () => {
    const train = stepData(2000, 3);
    const { model } = trainGbdt(train, 2, { rounds: 50, maxLeaves: 2 });
    const root = model.trees[0]!;
    expect(root.feature[0]).toBe(0);
    expect(Math.abs(root.threshold[0]! - 0.3)).toBeLessThan(0.02);
    const test = stepData(500, 4);
    const p = predictGbdt(model, test.x, test.rows);
    expect(evaluateClassifier(test.labels, p).accuracy).toBeGreaterThan(0.97);
  });

  it("stops early on validation, keeping the trees up to its best round", () => {
    const train = stepData(1000, 5);
    // Labels of pure noise: validation log-loss stops improving within a few rounds.
    const rng = mulberry32(9);
    const noisy = { ...train, labels: train.labels.map(() => (rng() < 0.4 ? 1 : 0)) };
    const validation = { ...stepData(500, 6), labels: new Uint8Array(500).map(() => (rng() < 0.4 ? 1 : 0)) };
    const fit = trainGbdt(noisy, 2, { rounds: 300, earlyStoppingRounds: 10 }, validation);
    expect(fit.rounds).toBeLessThan(60);
    expect(fit.model.trees.length).toBe(fit.rounds);
  });
});

import { describe, expect, it } from "vitest";
import { stackSparse } from "../../../../models/features/index.ts";
import { extractTextFeatureRows } from "../../../../models/text/index.ts";
import { evaluateClassifier } from "../../../../origin/train/evaluation/index.ts";
import { predictLogistic, trainLogisticWithValidation } from "../../../../origin/train/linear/index.ts";
import {
  exportSentimentModel,
  fitLexiconBaseline,
  predictLexiconBaseline,
  predictSentiment,
  predictSentimentWithOnnx,
  trainSentiment,
} from "../../../../origin/train/sentiment/index.ts";
import { logCountRatios } from "../../../../origin/train/sentiment/log-count-ratios.ts";
import { reviewCorpus } from "./review-corpus.ts";

const train = reviewCorpus(400, 1);
const test = reviewCorpus(200, 2);
// small hash space keeps the test fast; the default (2^16) is for real corpora
const spec = { hashBits: 12, wordNgrams: 2, charNgramMin: 3, charNgramMax: 5, cues: true };
const { model, trials } = trainSentiment(train.texts, train.labels, { spec, epochs: 5 });

describe("sentiment classifier", () => {
  it("labels held-out generated reviews, negated positives included", () => {
    const metrics = evaluateClassifier(test.labels, predictSentiment(model, test.texts));
    expect(metrics.accuracy).toBeGreaterThan(0.95);
    const negated = predictSentiment(model, ["This tea is not delicious at all, returned it."]);
    expect(negated[0]).toBeLessThan(0.5);
  });

  it("reads obvious short sentences from other domains", () => {
    const positives = ["I love it", "absolutely fantastic", "what a great day"];
    const negatives = ["this is terrible", "awful service", "I hate this hotel"];
    for (const p of predictSentiment(model, positives)) {
      expect(p).toBeGreaterThan(0.5);
    }
    for (const p of predictSentiment(model, negatives)) {
      expect(p).toBeLessThan(0.5);
    }
  });

  it("gives the same probabilities through onnxruntime-web in float32, and close ones in int8", async () => {
    const reference = predictSentiment(model, test.texts);
    const f32 = await predictSentimentWithOnnx(exportSentimentModel(model, "float32"), model, test.texts);
    const i8 = await predictSentimentWithOnnx(exportSentimentModel(model, "int8"), model, test.texts);
    let maxF32 = 0;
    let maxI8 = 0;
    for (let i = 0; i < reference.length; i++) {
      maxF32 = Math.max(maxF32, Math.abs(f32[i]! - reference[i]!));
      maxI8 = Math.max(maxI8, Math.abs(i8[i]! - reference[i]!));
    }
    expect(maxF32).toBeLessThan(1e-5);
    // per-weight error ≤ s/2 (s = max|w|/127) over L2-normalised inputs keeps probabilities within ~1e-2
    expect(maxI8).toBeLessThan(2e-2);
    expect(evaluateClassifier(test.labels, i8).accuracy).toBe(evaluateClassifier(test.labels, f32).accuracy);
  });

  it("chooses between binary and log-count-ratio n-grams and L2 on the inner validation split", () => {
    const scalings = new Set(trials.map((trial) => trial.options.scaling));
    expect(scalings).toEqual(new Set(["binary, cues ×8", "log-count ratios, cues ×8"]));
    expect(trials).toHaveLength(8);
    for (const trial of trials) {
      expect(Number.isFinite(trial.validationLogLoss)).toBe(true);
    }
  });

  it("the feature rows have the spec's width", () => {
    expect(extractTextFeatureRows(["hello"], spec).dim).toBe(4096);
  });
});

describe("lexicon baseline", () => {
  it("fits the threshold that classifies the training texts best", () => {
    // AFINN per-word: "good" +3 -> "good" 3/1; "bad" -3 -> -3; "ok" 0 -> 0; "good good bad" (3+3-3)/3 = 1
    // labels 1,0,0,1: a threshold between 0 and 1 gets all four right
    const baseline = fitLexiconBaseline(["good", "bad", "ok", "good good bad"], [1, 0, 0, 1]);
    expect(baseline.threshold).toBeGreaterThan(0);
    expect(baseline.threshold).toBeLessThanOrEqual(1);
    const { predictions } = predictLexiconBaseline(baseline, ["good", "bad", "ok", "good good bad"]);
    expect(Array.from(predictions)).toEqual([1, 0, 0, 1]);
  });

  it("flips a negated word", () => {
    const { scores } = predictLexiconBaseline({ threshold: 0 }, ["good", "not good"]);
    expect(scores[0]).toBeGreaterThan(0);
    expect(scores[1]).toBeLessThan(0);
  });
});

describe("NB-SVM log-count ratios", () => {
  // Column 0 stands for a cue; 1 occurs only in positive rows, 2 only in negative ones, 3 in both alike.
  const rows = [
    { indices: Int32Array.of(0, 1, 3), values: Float32Array.of(0.5, 1, 1) },
    { indices: Int32Array.of(1, 3), values: Float32Array.of(1, 1) },
    { indices: Int32Array.of(0, 2, 3), values: Float32Array.of(-0.5, 1, 1) },
    { indices: Int32Array.of(2, 3), values: Float32Array.of(1, 1) },
  ];
  const x = stackSparse(rows, 4);
  const labels = [1, 1, 0, 0];

  it("are positive for features of positive texts, negative for negative ones, 0 for neither, 1 before `from`", () => {
    const r = logCountRatios(x, labels, 1);
    expect(r[0]).toBe(1);
    expect(r[1]).toBeGreaterThan(0.5);
    expect(r[2]).toBeCloseTo(-r[1]!, 6);
    expect(r[3]).toBeCloseTo(0, 6);
  });

  it("are folded into the weights, so the model served reads unscaled features", () => {
    const scales = Float32Array.of(8, 2, 0.5, 3);
    const tuned = trainLogisticWithValidation(
      x,
      labels,
      [{ l2: 1e-3, epochs: 20, columnScales: () => scales }],
      {
        validationFraction: 0.5,
      },
    );
    const plain = trainLogisticWithValidation(
      { ...x, values: x.values.map((v, t) => v * scales[x.indices[t]!]!) },
      labels,
      [{ l2: 1e-3, epochs: 20 }],
      { validationFraction: 0.5 },
    );
    const served = predictLogistic(tuned.model, x);
    const reference = predictLogistic(plain.model, {
      ...x,
      values: x.values.map((v, t) => v * scales[x.indices[t]!]!),
    });
    for (let r = 0; r < x.rows; r++) {
      expect(served[r]).toBeCloseTo(reference[r]!, 5);
    }
  });
});

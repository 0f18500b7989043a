import { describe, expect, it } from "vitest";
import {
  accuracy,
  evaluateClassifier,
  f1Score,
  logLoss,
  rocAuc,
} from "../../../../origin/train/evaluation/index.ts";

describe("classification metrics against hand-computed cases", () => {
  // labels [1,1,0,0,1], probabilities [.9,.4,.6,.1,.7] -> predictions at 0.5: [1,0,1,0,1]
  const labels = [1, 1, 0, 0, 1];
  const probabilities = [0.9, 0.4, 0.6, 0.1, 0.7];

  it("accuracy counts predictions at the threshold that match the label", () => {
    // right at positions 0, 3, 4 -> 3/5
    expect(accuracy(labels, probabilities)).toBeCloseTo(0.6, 12);
    // at threshold 0.35 predictions [1,1,1,0,1] -> right at 0,1,3,4 -> 4/5
    expect(accuracy(labels, probabilities, 0.35)).toBeCloseTo(0.8, 12);
  });

  it("F1 of the positive class is 2TP / (2TP + FP + FN)", () => {
    // TP = 2 (positions 0, 4), FP = 1 (position 2), FN = 1 (position 1) -> 4 / 6
    expect(f1Score(labels, probabilities)).toBeCloseTo(2 / 3, 12);
  });

  it("ROC-AUC counts a tie between a positive and a negative as one half", () => {
    // positives score .9, .8, .1; negatives .8, .3. Pairs (pos, neg):
    // (.9,.8)=1 (.9,.3)=1 (.8,.8)=0.5 (.8,.3)=1 (.1,.8)=0 (.1,.3)=0 -> 3.5 / 6
    expect(rocAuc([1, 0, 1, 0, 1], [0.9, 0.8, 0.8, 0.3, 0.1])).toBeCloseTo(3.5 / 6, 12);
    // perfect separation -> 1, reversed -> 0, all tied -> 0.5
    expect(rocAuc([0, 0, 1, 1], [1, 2, 3, 4])).toBe(1);
    expect(rocAuc([1, 1, 0, 0], [1, 2, 3, 4])).toBe(0);
    expect(rocAuc([1, 0, 1, 0], [5, 5, 5, 5])).toBe(0.5);
  });

  it("log-loss is the mean negative log-likelihood in nats", () => {
    // -(ln 0.8 + ln(1 - 0.4)) / 2 = (0.2231436 + 0.5108256) / 2 = 0.3669846
    expect(logLoss([1, 0], [0.8, 0.4])).toBeCloseTo(0.3669846, 6);
    // a certain miss is clipped to -ln(1e-15) = 34.5388 instead of infinity
    expect(logLoss([1], [0])).toBeCloseTo(34.538776, 5);
  });

  it("evaluateClassifier reports every metric and the positive rate", () => {
    const report = evaluateClassifier(labels, probabilities);
    expect(report.count).toBe(5);
    expect(report.positiveRate).toBeCloseTo(0.6, 12);
    expect(report.accuracy).toBeCloseTo(0.6, 12);
    // positives .9 .4 .7 vs negatives .6 .1: wins (.9,.6) (.9,.1) (.4,.1) (.7,.6) (.7,.1) = 5 of 6
    expect(report.rocAuc).toBeCloseTo(5 / 6, 12);
  });
});

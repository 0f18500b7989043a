import { describe, expect, it } from "vitest";
import {
  averagePrecisionAtK,
  catalogCoverage,
  evaluateRanking,
  ndcgAtK,
  precisionAtK,
  recallAtK,
} from "../../../../origin/train/evaluation/index.ts";

describe("ranking metrics against hand-computed cases", () => {
  // list [1,2,3,4,5], relevant {2,5,9}: hits at positions 2 and 5.
  const list = [1, 2, 3, 4, 5];
  const relevant = new Set([2, 5, 9]);

  it("Precision@k divides the hits in the first k by k", () => {
    // k=5: 2 hits / 5 = 0.4; k=3: 1 hit (position 2) / 3
    expect(precisionAtK(list, relevant, 5)).toBeCloseTo(0.4, 12);
    expect(precisionAtK(list, relevant, 3)).toBeCloseTo(1 / 3, 12);
    // a list shorter than k still divides by k: 1 hit in [2] / 10
    expect(precisionAtK([2], relevant, 10)).toBeCloseTo(0.1, 12);
  });

  it("Recall@k divides the hits by the number of relevant items", () => {
    // k=5: 2 / 3; k=3: 1 / 3
    expect(recallAtK(list, relevant, 5)).toBeCloseTo(2 / 3, 12);
    expect(recallAtK(list, relevant, 3)).toBeCloseTo(1 / 3, 12);
  });

  it("nDCG@k uses an ideal list of min(k, |relevant|) hits", () => {
    // k=5: DCG = 1/log2(3) + 1/log2(6) = 0.6309298 + 0.3868528 = 1.0177826
    //      IDCG over min(5,3)=3 hits = 1 + 1/log2(3) + 1/log2(4) = 2.1309298  -> 0.4776237
    expect(ndcgAtK(list, relevant, 5)).toBeCloseTo(1.0177826 / 2.1309298, 6);
    // k=3: DCG = 1/log2(3) = 0.6309298; IDCG = 2.1309298 -> 0.2960862
    expect(ndcgAtK(list, relevant, 3)).toBeCloseTo(0.6309298 / 2.1309298, 6);
    // more relevant items than k: list [7,8], relevant {7,8,9,10}, k=2: DCG = IDCG = 1 + 1/log2(3) -> 1
    expect(ndcgAtK([7, 8], new Set([7, 8, 9, 10]), 2)).toBeCloseTo(1, 12);
    expect(ndcgAtK([3, 4], relevant, 2)).toBe(0);
  });

  it("AP@k sums the precision at each hit and divides by min(k, |relevant|)", () => {
    // k=5: (P@2 + P@5) / min(5,3) = (1/2 + 2/5) / 3 = 0.3
    expect(averagePrecisionAtK(list, relevant, 5)).toBeCloseTo(0.3, 12);
    // k=3: (1/2) / 3 = 1/6
    expect(averagePrecisionAtK(list, relevant, 3)).toBeCloseTo(1 / 6, 12);
    // list [7,8], relevant {7,8,9,10}, k=2: (1/1 + 2/2) / min(2,4) = 1
    expect(averagePrecisionAtK([7, 8], new Set([7, 8, 9, 10]), 2)).toBeCloseTo(1, 12);
  });

  it("coverage counts the distinct items in the first k of every list", () => {
    // k=2: {1,2,3} of 10 = 0.3; k=1: {1,2} of 10 = 0.2
    expect(
      catalogCoverage(
        [
          [1, 2],
          [2, 3],
        ],
        2,
        10,
      ),
    ).toBeCloseTo(0.3, 12);
    expect(
      catalogCoverage(
        [
          [1, 2],
          [2, 3],
        ],
        1,
        10,
      ),
    ).toBeCloseTo(0.2, 12);
  });

  it("evaluateRanking averages over users that have relevant items and skips the others", () => {
    // user 0 as above at k=5 (P 0.4, R 2/3, AP 0.3); user 1: list [9,1], relevant {9}: P@5 = 1/5, R = 1,
    // nDCG = 1, AP = 1; user 2 has no relevant item and is skipped.
    const report = evaluateRanking([list, [9, 1], [4]], [relevant, new Set([9]), new Set()], 5, 20);
    expect(report.users).toBe(2);
    expect(report.precision).toBeCloseTo((0.4 + 0.2) / 2, 12);
    expect(report.recall).toBeCloseTo((2 / 3 + 1) / 2, 12);
    expect(report.ndcg).toBeCloseTo((1.0177826 / 2.1309298 + 1) / 2, 6);
    expect(report.map).toBeCloseTo((0.3 + 1) / 2, 12);
    // distinct items {1,2,3,4,5,9} of 20 (the skipped user's list still counts for coverage)
    expect(report.coverage).toBeCloseTo(6 / 20, 12);
  });
});

import { describe, expect, it } from "vitest";
import { mulberry32 } from "../../../../models/random.ts";
import {
  buildCsr,
  easeScorer,
  easeScoresWithOnnx,
  evaluateRecommender,
  exportEase,
  exportMf,
  mfScorer,
  mfScoresWithOnnx,
  popularityScorer,
  recommendAll,
  rowIndices,
  scoreEase,
  splitPerUser,
  trainEase,
  trainIals,
  trainPopularity,
  trainTrending,
  tuneOnInnerSplit,
} from "../../../../origin/train/recs/index.ts";
import { blockInteractions, blockOfItem } from "./block-fixture.ts";

const itemsPerBlock = 12;
const data = blockInteractions({ blocks: 4, usersPerBlock: 30, itemsPerBlock, density: 0.5, seed: 3 });

/** Share of the first min(k, unseen items of the user's block) recommendations that are in the user's block. */
function shareInOwnBlock(lists: Int32Array[]): number {
  let inBlock = 0;
  let total = 0;
  lists.forEach((list, u) => {
    const unseen = itemsPerBlock - rowIndices(data, u).length;
    for (const i of list.subarray(0, Math.min(list.length, unseen))) {
      total++;
      inBlock += blockOfItem(i, itemsPerBlock) === u % 4 ? 1 : 0;
    }
  });
  return inBlock / total;
}

describe("interaction matrix and split", () => {
  it("merges repeated user–item events by summing their weights and sorts each row", () => {
    const m = buildCsr({
      users: 2,
      items: 4,
      user: Int32Array.of(0, 0, 0, 1),
      item: Int32Array.of(3, 1, 3, 2),
      value: Float32Array.of(1, 2, 5, 1),
    });
    expect(Array.from(rowIndices(m, 0))).toEqual([1, 3]);
    expect(Array.from(m.values.subarray(0, 2))).toEqual([2, 6]);
    expect(Array.from(rowIndices(m, 1))).toEqual([2]);
  });

  it("splits each user's items into disjoint train and test parts of the requested share", () => {
    const { train, test } = splitPerUser(data, 0.25, mulberry32(1));
    for (let u = 0; u < data.rows; u++) {
      const all = Array.from(rowIndices(data, u));
      const tr = Array.from(rowIndices(train, u));
      const te = Array.from(rowIndices(test, u));
      expect([...tr, ...te].sort((a, b) => a - b)).toEqual(all);
      expect(te.length).toBe(Math.round(all.length * 0.25));
    }
  });
});

describe("popularity and trending", () => {
  it("popularity counts distinct users per item", () => {
    // item 0: users 0 and 1; item 1: user 0; item 2: nobody
    const m = buildCsr({
      users: 2,
      items: 3,
      user: Int32Array.of(0, 0, 1, 1),
      item: Int32Array.of(0, 1, 0, 0),
    });
    expect(Array.from(trainPopularity(m))).toEqual([2, 1, 0]);
  });

  it("trending halves an event's weight every half-life", () => {
    // now = 100 s, half-life 10 s: item 0 has events aged 0 and 10 -> 1 + 0.5; item 1 one aged 20 -> 0.25
    const scores = trainTrending(2, Int32Array.of(0, 0, 1), Float64Array.of(100, 90, 80), {
      halfLifeSeconds: 10,
    });
    expect(scores[0]).toBeCloseTo(1.5, 6);
    expect(scores[1]).toBeCloseTo(0.25, 6);
  });
});

describe("EASE", () => {
  it("satisfies its closed form: (XᵀX + λI)·B equals XᵀX + λI off the diagonal, with diag(B) = 0", () => {
    const lambda = 5;
    const model = trainEase(data, { lambda });
    const h = model.items.length;
    // Gram in head order, computed directly from the rows
    const g = new Float64Array(h * h);
    for (let u = 0; u < data.rows; u++) {
      const row = Array.from(rowIndices(data, u)).map((i) => model.position[i]!);
      for (const a of row) {
        for (const b of row) {
          g[a * h + b]! += 1;
        }
      }
    }
    for (let a = 0; a < h; a++) {
      g[a * h + a]! += lambda;
      expect(model.weights[a * h + a]).toBe(0);
    }
    for (let i = 0; i < h; i += 5) {
      for (let j = 0; j < h; j++) {
        if (i === j) {
          continue;
        }
        let s = 0;
        for (let k = 0; k < h; k++) {
          s += g[i * h + k]! * model.weights[k * h + j]!;
        }
        expect(s).toBeCloseTo(g[i * h + j]!, 3);
      }
    }
  });

  it("recommends the unseen items of the user's own block", () => {
    const pop = popularityScorer(trainPopularity(data));
    const lists = recommendAll(easeScorer(trainEase(data, { lambda: 10 }), pop), data, 3);
    expect(shareInOwnBlock(lists)).toBe(1);
  });

  it("covers only the head items and falls back for a user with no head item", () => {
    // item 5 has one interaction (below minCount 2), so it is tail; user 2 only saw it
    const m = buildCsr({
      users: 3,
      items: 6,
      user: Int32Array.of(0, 0, 0, 1, 1, 1, 2),
      item: Int32Array.of(0, 1, 2, 0, 1, 3, 5),
    });
    const model = trainEase(m, { lambda: 1, minCount: 2 });
    expect(Array.from(model.items).sort()).toEqual([0, 1]);
    expect(model.position[5]).toBe(-1);
    const fallbackScores = Float32Array.of(0, 0, 0, 0, 9, 0);
    const lists = recommendAll(easeScorer(model, popularityScorer(fallbackScores)), m, 1);
    expect(Array.from(lists[2]!)).toEqual([4]);
  });
});

describe("implicit MF (iALS with conjugate gradient)", () => {
  it("recommends the unseen items of the user's own block", () => {
    // four blocks: the preference matrix has rank 4, so four factors can represent it exactly
    const model = trainIals(data, { factors: 4, lambda: 1, alpha: 5, iterations: 10, seed: 2 });
    expect(shareInOwnBlock(recommendAll(mfScorer(model), data, 3))).toBe(1);
  });

  it("converges to the exact least-squares solution of each row's normal equations", () => {
    // Training ends with an item half-epoch, so with enough CG steps (f = 4: CG is exact after 4) every item
    // vector y_i solves (XᵀC_iX + λI)·y_i = XᵀC_i·1 for the final user table X, C_i = 1 + α on its users.
    const f = 4;
    const lambda = 0.5;
    const alpha = 3;
    const model = trainIals(data, { factors: f, lambda, alpha, iterations: 3, cgSteps: 50, seed: 9 });
    const y = model.itemFactors;
    for (const u of [0, 17, 61]) {
      const i = rowIndices(data, u)[0]!;
      const users: number[] = [];
      for (let v = 0; v < data.rows; v++) {
        if (rowIndices(data, v).includes(i)) {
          users.push(v);
        }
      }
      const a = new Float64Array(f * f);
      const b = new Float64Array(f);
      for (let v = 0; v < data.rows; v++) {
        const c = users.includes(v) ? 1 + alpha : 1;
        for (let p = 0; p < f; p++) {
          const xp = model.userFactors[v * f + p]!;
          if (c > 1) {
            b[p]! += c * xp;
          }
          for (let q = 0; q < f; q++) {
            a[p * f + q]! += c * xp * model.userFactors[v * f + q]!;
          }
        }
      }
      for (let p = 0; p < f; p++) {
        let s = lambda * y[i * f + p]!;
        for (let q = 0; q < f; q++) {
          s += a[p * f + q]! * y[i * f + q]!;
        }
        expect(s).toBeCloseTo(b[p]!, 3);
      }
    }
  });
});

describe("evaluation and tuning on an inner split", () => {
  it("personalised models beat popularity on block-structured data", () => {
    const { train, test } = splitPerUser(data, 0.25, mulberry32(4));
    const pop = popularityScorer(trainPopularity(train));
    const popularity = evaluateRecommender(pop, train, test, 3);
    const ease = evaluateRecommender(easeScorer(trainEase(train, { lambda: 10 }), pop), train, test, 3);
    const mf = evaluateRecommender(
      mfScorer(trainIals(train, { factors: 8, lambda: 1, alpha: 5, iterations: 10 })),
      train,
      test,
      3,
    );
    expect(ease.ndcg).toBeGreaterThan(popularity.ndcg + 0.2);
    expect(mf.ndcg).toBeGreaterThan(popularity.ndcg + 0.2);
  });

  it("picks the candidate that ranks the held-out training items best", () => {
    const pop = popularityScorer(trainPopularity(data));
    const result = tuneOnInnerSplit(
      data,
      ["popularity", "ease"] as const,
      (m, which) => (which === "ease" ? easeScorer(trainEase(m, { lambda: 10 }), pop) : pop),
      { k: 3 },
    );
    expect(result.best).toBe("ease");
    expect(result.trials).toHaveLength(2);
    expect(result.trials[1]!.metrics.ndcg).toBeGreaterThan(result.trials[0]!.metrics.ndcg);
  });
});

describe("export to ONNX (onnxruntime-web)", () => {
  const { train } = splitPerUser(data, 0.25, mulberry32(4));

  it("EASE: float32 scores equal TypeScript's; int8 stay within the per-column quantization bound", async () => {
    const model = trainEase(train, { lambda: 10 });
    const h = model.items.length;
    const f32 = await easeScoresWithOnnx(exportEase(model, "float32"), model, train);
    const i8 = await easeScoresWithOnnx(exportEase(model, "int8"), model, train);
    // column scale s_j = max_i |B_ij| / 127; each of the user's n history weights moves by ≤ s_j / 2
    const scale = new Float64Array(h);
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < h; j++) {
        scale[j] = Math.max(scale[j]!, Math.abs(model.weights[i * h + j]!) / 127);
      }
    }
    const tsScores = new Float32Array(train.cols);
    for (const u of [0, 5, 77]) {
      const history = rowIndices(train, u);
      scoreEase(model, history, tsScores);
      for (let j = 0; j < h; j++) {
        expect(f32[u * h + j]).toBeCloseTo(tsScores[model.items[j]!]!, 5);
        const bound = (history.length * scale[j]!) / 2 + 1e-5;
        expect(Math.abs(i8[u * h + j]! - f32[u * h + j]!)).toBeLessThanOrEqual(bound);
      }
    }
  });

  it("MF: float32 scores equal TypeScript's; int8 stay within the per-row quantization bound", async () => {
    const model = trainIals(train, { factors: 4, lambda: 1, alpha: 5, iterations: 10 });
    const f = model.factors;
    const f32 = await mfScoresWithOnnx(exportMf(model, "float32"), model);
    const i8 = await mfScoresWithOnnx(exportMf(model, "int8"), model);
    const tsScores = new Float32Array(train.cols);
    for (const u of [0, 7, 90]) {
      mfScorer(model)(u, rowIndices(train, u), tsScores);
      let userL1 = 0;
      for (let a = 0; a < f; a++) {
        userL1 += Math.abs(model.userFactors[u * f + a]!);
      }
      for (let i = 0; i < train.cols; i++) {
        expect(f32[u * train.cols + i]).toBeCloseTo(tsScores[i]!, 5);
        // row scale s_i = max_a |y_ia| / 127; the dot moves by ≤ Σ_a |x_ua| · s_i / 2
        let rowMax = 0;
        for (let a = 0; a < f; a++) {
          rowMax = Math.max(rowMax, Math.abs(model.itemFactors[i * f + a]!));
        }
        const bound = (userL1 * rowMax) / 127 / 2 + 1e-5;
        expect(Math.abs(i8[u * train.cols + i]! - f32[u * train.cols + i]!)).toBeLessThanOrEqual(bound);
      }
    }
  });
});

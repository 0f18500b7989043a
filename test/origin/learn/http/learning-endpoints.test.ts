/**
 * The origin()'s learning loop routes over real stores (in-memory PGlite): decision and reward batches
 * (auth, validation by index, idempotency, limits) and per-arm experiment results after a learning run.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { wilsonInterval } from "../../../../models/stats/index.ts";
import { runLearning } from "../../../../origin/learn/index.ts";
import { suiteResource } from "../../../support/suite-resource.ts";
import { startTestOrigin, TEST_API_KEY, TEST_LIMITS } from "../../support/origin-app.ts";
import { decision, experimentLogs, reward, T0 } from "../support/learning-records.ts";

const origin = suiteResource(startTestOrigin);

async function post(path: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await origin().app.request(path, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TEST_API_KEY}`, ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

async function get(path: string, key = TEST_API_KEY) {
  const response = await origin().app.request(path, { headers: { authorization: `Bearer ${key}` } });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe("POST /v1/decisions/batch", () => {
  it("stores valid decisions once and reports invalid ones by index", async () => {
    const good = [decision("api-d1"), decision("api-d2", { slots: 2 })];
    const zeroPropensity = { ...decision("api-bad1"), ranking: [{ action_id: "item-0", propensity: 0 }] };
    const notACandidate = { ...decision("api-bad2"), ranking: [{ action_id: "elsewhere", propensity: 1 }] };
    const first = await post("/v1/decisions/batch", [good[0], zeroPropensity, good[1], notACandidate, "x"]);
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ received: 5, stored: 2, duplicates: [] });
    const rejected = first.body.rejected as { index: number; decision_id: string | null; error: string }[];
    expect(rejected.map((r) => [r.index, r.decision_id])).toEqual([
      [1, "api-bad1"],
      [3, "api-bad2"],
      [4, null],
    ]);
    expect(rejected[0]!.error).toContain("propensity is never 0");

    const again = await post("/v1/decisions/batch", good);
    expect(again.body).toMatchObject({
      stored: 0,
      duplicates: [
        { index: 0, decision_id: "api-d1" },
        { index: 1, decision_id: "api-d2" },
      ],
    });
    const open = (await origin().learningStore.openDecisions()).map((d) => d.decision_id);
    expect(open.filter((id) => id.startsWith("api-d")).sort()).toEqual(["api-d1", "api-d2"]);
  });

  it("takes NDJSON, and answers 422 when no record is valid", async () => {
    const ndjson = [decision("api-nd1"), decision("api-nd2")].map((d) => JSON.stringify(d)).join("\n");
    const stored = await post("/v1/decisions/batch", ndjson, { "content-type": "application/x-ndjson" });
    expect(stored.body).toMatchObject({ stored: 2 });
    const none = await post("/v1/decisions/batch", [{ decision_id: "x" }]);
    expect(none.status).toBe(422);
    expect(none.body.stored).toBe(0);
  });

  it("refuses a missing key, an empty batch and too many records", async () => {
    expect((await post("/v1/decisions/batch", [decision("api-k")], { authorization: "" })).status).toBe(401);
    expect((await post("/v1/decisions/batch", [])).status).toBe(400);
    const many = Array.from({ length: TEST_LIMITS.maxEventsPerBatch + 1 }, (_, i) => ({
      decision_id: `m${i}`,
    }));
    expect((await post("/v1/decisions/batch", many)).status).toBe(413);
  });
});

describe("POST /v1/rewards/batch", () => {
  it("stores each (decision_id, event_id) once and refuses out-of-range and malformed rewards by index", async () => {
    const batch = [
      reward("api-d1", 1, { eventId: "buy" }),
      { ...reward("api-d1", 1), reward: 1.5 },
      reward("api-d1", 0.3, { eventId: "click" }),
      { decision_id: "api-d1", event_id: "both", ts: T0, reward: 1, slot_rewards: [{ slot: 0, reward: 1 }] },
      reward("api-d1", 1, { eventId: "buy" }),
    ];
    const result = await post("/v1/rewards/batch", batch);
    expect(result.status).toBe(200);
    expect(result.body).toMatchObject({
      stored: 2,
      duplicates: [{ index: 4, decision_id: "api-d1", event_id: "buy" }],
    });
    const rejected = result.body.rejected as { index: number; error: string }[];
    expect(rejected.map((r) => r.index)).toEqual([1, 3]);
    expect(rejected[0]!.error).toContain("[-1, 1]");
    expect(rejected[1]!.error).toContain("exactly one of reward or slot_rewards");
  });
});

describe("GET /v1/experiments/:id/results", () => {
  it("gives each arm's decisions, rewards and Wilson interval from the joined logs, open decisions apart", async () => {
    // Control: every 4th decision rewarded; treatment: every 2nd of its own.
    const { decisions, rewarded, rewards } = experimentLogs("exp-", "exp-a");
    const openOne = decision("exp-open", {
      ts: T0 + 10_000_000,
      policyId: "home.treatment",
      experiment: { id: "exp-a", arm: "treatment" },
    });
    await post("/v1/decisions/batch", [...decisions, openOne]);
    await post("/v1/rewards/batch", rewards);
    await runLearning(
      { store: origin().learningStore },
      { windowMs: 60_000, arrivalDelayMs: 0, nowMs: T0 + 120_000 },
    );

    const { status, body } = await get("/v1/experiments/exp-a/results?confidence=0.9");
    expect(status).toBe(200);
    const control = rewarded.filter((d) => d.experiment?.arm === "control").length;
    const treatment = rewarded.length - control;
    const interval = (k: number) => {
      const w = wilsonInterval(k, 20, 0.9);
      return { mean: w.mean, lower: w.lower, upper: w.upper, method: "wilson" };
    };
    expect(body).toMatchObject({
      experiment_id: "exp-a",
      confidence: 0.9,
      arms: [
        { arm: "control", decisions: 20, rewarded: control, open: 0, reward: interval(control) },
        { arm: "treatment", decisions: 20, rewarded: treatment, open: 1, reward: interval(treatment) },
      ],
    });
  });

  it("answers 404 for an experiment nothing was logged under, 400 for a bad level, 401 without the key", async () => {
    expect((await get("/v1/experiments/none/results")).status).toBe(404);
    expect((await get("/v1/experiments/exp-a/results?confidence=1")).status).toBe(400);
    expect((await get("/v1/experiments/exp-a/results", "wrong")).status).toBe(401);
  });

  it("answers 4xx for an experiment id holding NUL", async () => {
    const nul = await get("/v1/experiments/%00/results");
    expect(nul.status).toBe(400);
    expect(nul.body).toEqual({
      error: {
        code: "invalid_experiment_id",
        message: expect.stringContaining("without control characters"),
      },
    });
    for (const id of ["exp%01a", "%7F", "x".repeat(65), "%0A"]) {
      const { status, body } = await get(`/v1/experiments/${id}/results`);
      expect(status, id).toBe(400);
      expect(body.error, id).toMatchObject({ code: "invalid_experiment_id" });
    }
    // Not UTF-8 once decoded: kept as sent, a printable id no decision carries.
    expect((await get("/v1/experiments/%ED%A0%80/results")).status).toBe(404);
    expect((await get(`/v1/experiments/${"x".repeat(64)}/results`)).status).toBe(404);
  });

  it("never answers 5xx for any experiment id or confidence, and always says why in {error: {code, message}}", async () => {
    // Ids as a client could put them in a path: any text percent-encoded, or raw percent-escapes that may
    // decode to control characters or to bytes that are not UTF-8.
    const idSegment = fc.oneof(
      fc.string({ unit: "binary", maxLength: 80 }).map(encodeURIComponent),
      fc
        .array(fc.integer({ min: 0, max: 255 }), { minLength: 1, maxLength: 12 })
        .map((bytes) => bytes.map((b) => `%${b.toString(16).padStart(2, "0")}`).join("")),
    );
    const confidence = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 12 }),
      fc.double().map(String),
    );
    await fc.assert(
      fc.asyncProperty(idSegment, confidence, async (id, level) => {
        const query = level === undefined ? "" : `?confidence=${encodeURIComponent(level)}`;
        const { status, body } = await get(`/v1/experiments/${id}/results${query}`);
        expect(status).toBeLessThan(500);
        if (status !== 200) {
          expect(body).toEqual({ error: { code: expect.any(String), message: expect.any(String) } });
        }
      }),
      { numRuns: 2000 },
    );
  });

  it("answers 400 for a confidence that is not a number", async () => {
    for (const confidence of ["abc", "", "NaN", "Infinity", "-0.5", "1e400"]) {
      const { status, body } = await get(`/v1/experiments/exp-a/results?confidence=${confidence}`);
      expect(status, confidence).toBe(400);
      expect(body.error, confidence).toMatchObject({ code: "invalid_confidence" });
    }
  });

  it("documents the routes in the OpenAPI document", async () => {
    const { body } = await get("/openapi.json");
    expect(Object.keys(body.paths as object)).toEqual(
      expect.arrayContaining(["/v1/decisions/batch", "/v1/rewards/batch", "/v1/experiments/{id}/results"]),
    );
  });
});

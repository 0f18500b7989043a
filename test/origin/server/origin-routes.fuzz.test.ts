/**
 * Property-based fuzzing of the origin()'s other routes over the real app and store (in-memory PGlite):
 * POST /v1/decisions/batch and /v1/rewards/batch with mixed batches (each valid record stored exactly
 * once, with its first content; each invalid one rejected by index), GET /v1/experiments/:id/results
 * with hostile ids and queries, GET /health, GET /openapi.json, and requests no route serves.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { LearningBatchResultBody } from "../../../origin/server/index.ts";
import {
  FUZZ_RUNS,
  FUZZ_TEST_TIMEOUT_MS,
  fuzzParameters,
  jsonText,
  prototypeName,
  urlJunk,
} from "../../support/fuzz-arbitraries.ts";
import {
  DECISION_ID_PLACEHOLDER,
  decisionEntry,
  FUZZ_EXPERIMENTS,
  type Labelled,
  rewardEntry,
} from "../../support/fuzz-learning-records.ts";
import { EVENT_ID_PLACEHOLDER } from "../../support/fuzz-records.ts";
import { suiteResource } from "../../support/suite-resource.ts";
import { startTestOrigin, TEST_API_KEY } from "../support/origin-app.ts";

const origin = suiteResource(startTestOrigin);

const auth = { authorization: `Bearer ${TEST_API_KEY}` };

/**
 * Every answer has a status below 500 and a JSON body with a message: an error's (`error.message`), a
 * 422 batch result's (`message`), or, for 200, the route's body.
 */
async function answer(response: Response): Promise<Record<string, unknown>> {
  const text = await response.text();
  expect(response.status, text.slice(0, 500)).toBeLessThan(500);
  const json = JSON.parse(text) as Record<string, unknown>;
  if (response.status >= 400) {
    const message = (json.error as { message?: unknown } | undefined)?.message ?? json.message;
    expect(typeof message === "string" && message.length > 0, text.slice(0, 500)).toBe(true);
  }
  return json;
}

type Entry = { kind: "valid" | "ambiguous" | "invalid"; value: unknown; key: string | null };

/**
 * One batch route's property: the generator's labels predict stored, duplicate and rejected indexes;
 * `expected` accumulates what the store must hold per key (the first accepted copy).
 */
function batchProperty<T>(
  path: string,
  entry: fc.Arbitrary<Labelled<T>>,
  withIds: (
    value: unknown,
    fresh: number,
    resend: number,
    kind: Entry["kind"],
  ) => { value: unknown; key: string | null },
  expected: Map<string, unknown>,
) {
  let fresh = 0;
  const batch = fc.record({
    slots: fc.array(fc.tuple(entry, fc.nat(), fc.boolean()), { minLength: 1, maxLength: 8 }),
    ndjson: fc.boolean(),
  });
  return fc.asyncProperty(batch, async ({ slots, ndjson }) => {
    const sent: Entry[] = slots.map(([labelled, pick, resend]) => {
      const { value, key } = withIds(labelled.value, fresh++, resend ? pick : -1, labelled.kind);
      return { kind: labelled.kind, value, key };
    });
    const texts = sent.map((e) => jsonText(e.value));
    const response = await origin().app.request(path, {
      method: "POST",
      headers: { ...auth, "content-type": ndjson ? "application/x-ndjson" : "application/json" },
      body: ndjson ? texts.join("\n") : `[${texts.join(",")}]`,
    });
    const result = LearningBatchResultBody.parse(await answer(response));
    const rejected = new Set(result.rejected.map((r) => r.index));
    const seen = new Set<string>();
    const duplicates: number[] = [];
    let stored = 0;
    sent.forEach((e, index) => {
      if (e.kind === "invalid") {
        expect(rejected.has(index), `record ${index} must be rejected: ${texts[index]!.slice(0, 300)}`).toBe(
          true,
        );
        return;
      }
      if (e.kind === "valid") {
        expect(rejected.has(index), `record ${index} is valid: ${texts[index]!.slice(0, 300)}`).toBe(false);
      } else if (rejected.has(index)) {
        return;
      }
      const key = e.key!;
      if (seen.has(key) || expected.has(key)) {
        duplicates.push(index);
      } else {
        stored++;
        // An ambiguous record, once accepted, must be stored as sent too (nothing dropped silently).
        expected.set(key, e.value);
      }
      seen.add(key);
    });
    expect(result.duplicates.map((d) => d.index)).toEqual(duplicates);
    expect(result.stored).toBe(stored);
    expect(response.status).toBe(rejected.size === sent.length ? 422 : 200);
  });
}

const replaceIds = (value: unknown, ids: Record<string, string>) => {
  if (value === null || typeof value !== "object" || Array.isArray(value)) {
    return value;
  }
  const out: Record<string, unknown> = { ...value };
  for (const [field, id] of Object.entries(ids)) {
    if (out[field] === DECISION_ID_PLACEHOLDER || out[field] === EVENT_ID_PLACEHOLDER) {
      out[field] = id;
    }
  }
  return out;
};
const keyOf = (value: unknown, fields: string[]) => {
  const record = value as Record<string, unknown> | null;
  return record !== null && typeof record === "object" && fields.every((f) => typeof record[f] === "string")
    ? JSON.stringify(fields.map((f) => record[f]))
    : null;
};

/**
 * Per key, the ts of the first valid copy sent: a copy sent again takes it, since the store keeps the
 * earliest copy and the test expects the first content sent. Says whether `key` is sent for the first time.
 */
function firstCopyTimes() {
  const firstTs = new Map<string, unknown>();
  return (record: Record<string, unknown>, key: string | null, kind: Entry["kind"]): key is string => {
    if (key === null || kind === "invalid") {
      return false;
    }
    if (firstTs.has(key)) {
      record.ts = firstTs.get(key);
      return false;
    }
    firstTs.set(key, record.ts);
    return true;
  };
}

describe("the origin's learning routes under property-based fuzzing", {
  timeout: FUZZ_TEST_TIMEOUT_MS,
}, () => {
  const decisions = new Map<string, unknown>();
  const decisionIds: string[] = [];
  const rewards = new Map<string, unknown>();

  it(`stores each valid decision of ${FUZZ_RUNS} mixed batches exactly once`, async () => {
    const isFirstCopy = firstCopyTimes();
    const withIds = (value: unknown, fresh: number, resend: number, kind: Entry["kind"]) => {
      // A resend reuses an accepted decision's id (and takes the first copy's ts).
      const id =
        resend >= 0 && decisionIds.length > 0 ? decisionIds[resend % decisionIds.length]! : `fz-d${fresh}`;
      const withId = replaceIds(value, { decision_id: id }) as Record<string, unknown>;
      const key = keyOf(withId, ["decision_id"]);
      if (isFirstCopy(withId, key, kind)) {
        decisionIds.push(id);
      }
      return { value: withId, key };
    };
    await fc.assert(
      batchProperty("/v1/decisions/batch", decisionEntry, withIds, decisions),
      fuzzParameters("POST /v1/decisions/batch mixed batches"),
    );
  });

  it("holds each accepted decision once, with the content first sent", async () => {
    const rows = await origin().sql.query("SELECT decision_id, record FROM learning_decisions");
    const byKey = new Map<string, unknown[]>();
    for (const [id, record] of rows) {
      const key = JSON.stringify([id]);
      byKey.set(key, [...(byKey.get(key) ?? []), record]);
    }
    expect([...byKey.keys()].sort()).toEqual([...decisions.keys()].sort());
    for (const [key, first] of decisions) {
      expect(byKey.get(key)!.length).toBe(1);
      if (first !== undefined) {
        expect(byKey.get(key)![0]).toEqual(JSON.parse(JSON.stringify(first)));
      }
    }
  });

  it(`stores each valid reward of ${FUZZ_RUNS} mixed batches exactly once`, async () => {
    const sentKeys: string[] = [];
    const isFirstCopy = firstCopyTimes();
    const withIds = (value: unknown, fresh: number, resend: number, kind: Entry["kind"]) => {
      let ids = { decision_id: `fz-d${fresh % 997}`, event_id: `fz-r${fresh}` };
      if (resend >= 0 && sentKeys.length > 0) {
        const [decisionId, eventId] = JSON.parse(sentKeys[resend % sentKeys.length]!) as [string, string];
        ids = { decision_id: decisionId, event_id: eventId };
      }
      const withId = replaceIds(value, ids) as Record<string, unknown>;
      const key = keyOf(withId, ["decision_id", "event_id"]);
      if (isFirstCopy(withId, key, kind)) {
        sentKeys.push(key);
      }
      return { value: withId, key };
    };
    await fc.assert(
      batchProperty("/v1/rewards/batch", rewardEntry, withIds, rewards),
      fuzzParameters("POST /v1/rewards/batch mixed batches"),
    );
  });

  it("holds each accepted reward once, with the content first sent", async () => {
    const rows = await origin().sql.query("SELECT decision_id, event_id, record FROM learning_rewards");
    const byKey = new Map(rows.map(([d, e, record]) => [JSON.stringify([d, e]), record]));
    expect(rows.length).toBe(byKey.size);
    expect([...byKey.keys()].sort()).toEqual([...rewards.keys()].sort());
    for (const [key, first] of rewards) {
      expect(byKey.get(key)).toEqual(JSON.parse(JSON.stringify(first)));
    }
  });

  it(`answers ${FUZZ_RUNS} experiment result requests with hostile ids and queries without a 5xx`, async () => {
    const request = fc.record({
      id: fc.oneof(fc.constantFrom(...FUZZ_EXPERIMENTS), urlJunk, prototypeName),
      confidence: fc.oneof(
        fc.constant(undefined),
        fc.constantFrom(
          "0.9",
          "0.99",
          "0",
          "1",
          "-0",
          "1e308",
          "NaN",
          "Infinity",
          "0x1",
          "%00",
          "",
          "0.5&confidence=2",
        ),
        urlJunk,
      ),
      authorised: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ id, confidence, authorised }) => {
        const query = confidence === undefined ? "" : `?confidence=${confidence}`;
        const response = await origin().app.request(`/v1/experiments/${id}/results${query}`, {
          headers: authorised ? auth : {},
        });
        const body = await answer(response);
        if (response.status === 200) {
          expect(Array.isArray(body.arms)).toBe(true);
          expect(typeof body.experiment_id).toBe("string");
        } else {
          expect([400, 401, 404]).toContain(response.status);
        }
      }),
      fuzzParameters("GET /v1/experiments/:id/results"),
    );
  });
});

describe("the origin's health, OpenAPI document and unrouted requests under fuzzing", {
  timeout: FUZZ_TEST_TIMEOUT_MS,
}, () => {
  it(`answers ${FUZZ_RUNS} health and OpenAPI requests with junk queries and headers with 200`, async () => {
    const request = fc.record({
      path: fc.constantFrom("/health", "/openapi.json"),
      query: urlJunk,
      header: fc.tuple(
        fc.constantFrom("accept", "x-api-key", "authorization", "content-type"),
        fc.string({ unit: "binary-ascii", maxLength: 20 }),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ path, query, header: [name, value] }) => {
        // Header values cannot hold control characters; a client library refuses them before sending.
        const headers = /^[\x20-\x7e]*$/.test(value) ? { [name]: value } : {};
        const response = await origin().app.request(`${path}?${query}`, { headers });
        const body = await answer(response);
        expect(response.status).toBe(200);
        expect(path === "/health" ? body.status : body.openapi).toBe(path === "/health" ? "ok" : "3.1.0");
      }),
      fuzzParameters("GET /health and /openapi.json"),
    );
  });

  it(`answers ${FUZZ_RUNS} requests to no route, or with the wrong method, with a 4xx and a message`, async () => {
    const request = fc.record({
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "HEAD"),
      path: fc.oneof(
        fc.array(urlJunk, { minLength: 1, maxLength: 4 }).map((parts) => `/${parts.join("/")}`),
        fc.constantFrom(
          "/v1/events/batch",
          "/v1/decisions/batch",
          "/v1/experiments",
          "/v1/experiments//results",
          "/health/",
        ),
        prototypeName.map((name) => `/v1/${name}/batch`),
      ),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path }) => {
        const routed =
          (method === "POST" && /^\/v1\/(events|decisions|rewards)\/batch$/.test(path)) ||
          (method === "GET" &&
            (path === "/health" ||
              path === "/openapi.json" ||
              /^\/v1\/experiments\/[^/]+\/results$/.test(path)));
        fc.pre(!routed);
        const response = await origin().app.request(path, { method, headers: auth });
        if (method === "HEAD") {
          expect(response.status).toBeLessThan(500);
          return;
        }
        await answer(response);
        expect(response.status).toBeGreaterThanOrEqual(400);
      }),
      fuzzParameters("requests to no route"),
    );
  });
});

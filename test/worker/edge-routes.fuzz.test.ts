/**
 * Property-based fuzzing of every edge route inside a real workerd (Miniflare over dist/worker: run
 * `npm run build` first), with the demo catalogue, demo users, a trained sentiment model and a trained
 * behaviour model with a tabular encoder published to its KV, and forwarding to the real origin app.
 * Every answer must be below 500, and every 4xx must carry `{error: {code, message}}`; where the
 * README promises more (a 404 for an unknown model, a 400 for a bad attribute or a non-finite vector,
 * each valid event forwarded and stored once), the property says so.
 */
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { encodeCatalog } from "../../models/catalog/index.ts";
import { DEFAULT_SURFACES } from "../../models/contracts/index.ts";
import { buildDemoModels, DEMO_MODEL_VERSION } from "../../models/onnx/index.ts";
import {
  demoCatalog,
  demoFeatureVector,
  demoSeed,
  demoUsers,
} from "../../origin/dev/local-edge/seed-demo.ts";
import { createMiniflareKvWriter } from "../../origin/release/publish/miniflare-kv-writer.ts";
import { publishRelease } from "../../origin/release/publish/publish-release.ts";
import { exportBehaviourModel, trainBehaviourModel } from "../../origin/train/behaviour/index.ts";
import { sentimentReleaseModel, trainSentiment } from "../../origin/train/sentiment/index.ts";
import { reviewCorpus } from "../origin/train/sentiment/review-corpus.ts";
import { type FaultyOrigin, ORIGIN_TEST_KEY, startFaultyOrigin } from "../support/faulty-origin.ts";
import {
  brokenString,
  controlChar,
  deepValue,
  FUZZ_RUNS,
  FUZZ_TEST_TIMEOUT_MS,
  fuzzParameters,
  hostileNumber,
  jsonText,
  junkValue,
  loneSurrogate,
  objectOf,
  PROTOTYPE_NAMES,
  prototypeName,
  RawJson,
  urlJunk,
} from "../support/fuzz-arbitraries.ts";
import { ambiguousRecord, EVENT_ID_PLACEHOLDER, invalidRecord, validEntry } from "../support/fuzz-records.ts";
import { startTestEdge, type TestEdge } from "../support/local-edge.ts";

let origin: FaultyOrigin;
let edge: TestEdge;
const PLANS = ["monthly", "yearly", "two-year"];

beforeAll(async () => {
  origin = await startFaultyOrigin();
  // One release, published before the first request: the manifest may be cached for the whole run.
  edge = await startTestEdge({
    ORIGIN_INGEST_URL: origin.ingestUrl,
    ORIGIN_INGEST_KEY: ORIGIN_TEST_KEY,
    MANIFEST_TTL_SECONDS: "3600",
  });
  const corpus = reviewCorpus(300, 3);
  const sentiment = trainSentiment(corpus.texts, corpus.labels, { epochs: 3 }).model;
  const rows = Array.from({ length: 600 }, (_, i) => ({ tenure: i % 72, plan: PLANS[i % 3]! }));
  const labels = Uint8Array.from(rows, (row) => (row.plan === "monthly" && row.tenure < 24 ? 1 : 0));
  const behaviour = trainBehaviourModel(rows, labels, { numeric: ["tenure"], categorical: ["plan"] }).model;
  const demo = buildDemoModels(demoSeed);
  const catalog = demoCatalog(demo);
  await publishRelease(
    {
      models: createMiniflareKvWriter(await edge.kv("MODELS")),
      features: createMiniflareKvWriter(await edge.kv("FEATURES")),
    },
    {
      models: [
        { ...demo.behaviour, featureVector: demoFeatureVector },
        demo.itemScorer,
        sentimentReleaseModel(sentiment, "int8", "7"),
        {
          ...exportBehaviourModel(behaviour, "int8", "3"),
          name: "behaviour",
          version: "3",
          featureVector: "churn",
          preprocessing: { kind: "tabular", spec: behaviour.encoder },
          metrics: { base_rate: 0.3 },
        },
      ],
      artifacts: [{ name: "catalog", version: DEMO_MODEL_VERSION, bytes: encodeCatalog(catalog) }],
      users: demoUsers(20, catalog.itemIds),
      surfaces: DEFAULT_SURFACES,
    },
  );
}, 180_000);

afterAll(async () => {
  await edge?.dispose();
  await origin?.close();
});

type Auth = "good" | "none" | "wrong" | "x-api-key";
const authArb = fc.constantFrom<Auth>("good", "good", "good", "good", "x-api-key", "none", "wrong");

function headersFor(auth: Auth, extra: Record<string, string> = {}): Record<string, string> {
  const headers: Record<string, string> = { ...extra };
  if (auth === "good") {
    headers.authorization = `Bearer ${edge.apiKey}`;
  } else if (auth === "x-api-key") {
    headers["x-api-key"] = edge.apiKey;
  } else if (auth === "wrong") {
    headers.authorization = "Bearer not-a-key";
  }
  return headers;
}

/**
 * Miniflare's dispatchFetch, sent again once when the connection it reused was dropped. The local
 * workerd closes a keep-alive connection after an answer given without reading the request body (a
 * 413 decided from Content-Length), and undici's pool sometimes hands that socket to the next request,
 * which then fails with "other side closed" or EPIPE before the Worker sees it. A Worker that crashed
 * would fail the second attempt too.
 */
async function dispatch(url: string, init: Parameters<TestEdge["miniflare"]["dispatchFetch"]>[1]) {
  try {
    return await edge.miniflare.dispatchFetch(url, init);
  } catch (error) {
    const cause = String((error as Error).cause ?? "");
    if (!/other side closed|EPIPE|ECONNRESET/.test(cause)) {
      throw error;
    }
    return await edge.miniflare.dispatchFetch(url, init);
  }
}

/** One request to the Worker: never a 5xx, and every 4xx in the error shape. */
async function send(
  pathAndQuery: string,
  init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await dispatch(`${edge.url.origin}${pathAndQuery}`, init);
  const text = await response.text();
  const where = `${init.method ?? "GET"} ${pathAndQuery.slice(0, 300)} → ${response.status} ${text.slice(0, 400)}`;
  expect(response.status, where).toBeLessThan(500);
  const body = (text === "" ? {} : JSON.parse(text)) as Record<string, unknown>;
  if (response.status >= 400) {
    const error = body.error as { code?: unknown; message?: unknown } | undefined;
    expect(typeof error?.code === "string" && error.code.length > 0, where).toBe(true);
    expect(typeof error?.message === "string" && error.message.length > 0, where).toBe(true);
  }
  return { status: response.status, body };
}

const json = (auth: Auth, body: string, contentType = "application/json") => ({
  method: "POST",
  headers: headersFor(auth, { "content-type": contentType }),
  body,
});

/** A hostile id in a query or path: encoded junk, prototype names, control characters, lone surrogates. */
const hostileQueryValue = fc.oneof(
  urlJunk,
  prototypeName,
  controlChar.map((c) => encodeURIComponent(`u${c}`)),
  // A lone surrogate cannot be percent-encoded as UTF-8; this is what a broken client sends instead.
  loneSurrogate.map(
    (s) => `u%${s.charCodeAt(0).toString(16).slice(0, 2)}%${s.charCodeAt(0).toString(16).slice(2)}`,
  ),
  fc.constantFrom("u%ED%A0%80", "x".repeat(300), "demo-1", "demo-1%00", "%00"),
);

/** Decisions the edge answered with (and so must have logged), and rewards it accepted with a 202. */
const recommendationDecisions = new Set<string>();
const rankDecisions = new Set<string>();
const acceptedRewards = new Set<string>();

/** Every key the edge promised is in the origin's store, once its waitUntil deliveries are done. */
async function expectStoredAtOrigin(
  query: string,
  promised: ReadonlySet<string>,
  normalise: (row: string) => string = (row) => row,
): Promise<void> {
  const missing = async () => {
    const stored = new Set((await origin.sql.query(query)).map((row) => normalise(String(row[0]))));
    return [...promised].filter((key) => !stored.has(key));
  };
  await vi
    .waitFor(async () => expect(await missing()).toEqual([]), { timeout: 30_000, interval: 500 })
    .catch(async () =>
      expect(await missing(), "answered at the edge but never stored at the origin").toEqual([]),
    );
}

describe("every edge route under property-based fuzzing", { timeout: FUZZ_TEST_TIMEOUT_MS }, () => {
  it(`GET /health answers ${FUZZ_RUNS} requests with junk queries with 200`, async () => {
    await fc.assert(
      fc.asyncProperty(urlJunk, async (query) => {
        const { status, body } = await send(`/health?${query}`);
        expect(status).toBe(200);
        expect(body.status).toBe("ok");
      }),
      fuzzParameters("GET /health"),
    );
  });

  it(`GET /score answers ${FUZZ_RUNS} hostile queries without a 5xx, and 404 for a model no one published`, async () => {
    const request = fc.record({
      model: fc.oneof(
        fc.constantFrom("demo-behaviour", "behaviour", "demo-item-scorer", "sentiment"),
        prototypeName,
        urlJunk,
      ),
      who: fc.oneof(
        hostileQueryValue.map((id) => `user_id=${id}`),
        fc
          .array(
            fc.oneof(
              fc.double().map(String),
              hostileNumber.map((n) => (n instanceof RawJson ? n.text : n)),
            ),
            {
              maxLength: 20,
            },
          )
          .map((values) => `features=${values.join(",")}`),
        fc.constantFrom(
          "features=1,2",
          "user_id=demo-1",
          "user_id=a&features=1",
          "",
          "features=",
          "features=%2C%2C",
        ),
      ),
      auth: authArb,
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ model, who, auth }) => {
        const { status, body } = await send(`/score?model=${model}&${who}`, { headers: headersFor(auth) });
        if (status === 200) {
          expect((body.scores as number[]).every(Number.isFinite)).toBe(true);
        }
        if (
          (PROTOTYPE_NAMES as readonly string[]).includes(model) &&
          auth !== "none" &&
          auth !== "wrong" &&
          who !== ""
        ) {
          expect([400, 404], JSON.stringify(body)).toContain(status);
        }
      }),
      fuzzParameters("GET /score"),
    );
  });

  it(`POST /predict answers ${FUZZ_RUNS} hostile bodies without a 5xx, never with a silent nonsense score`, async () => {
    const body = fc.oneof(
      fc.record({
        model: fc.oneof(fc.constantFrom("behaviour", "demo-behaviour"), prototypeName),
        vector: fc.oneof(
          fc.array(fc.double({ min: -10, max: 10, noNaN: true }), { minLength: 2, maxLength: 16 }),
          fc.array(fc.oneof(fc.double({ min: -1, max: 1, noNaN: true }), fc.constant(new RawJson("1e308"))), {
            minLength: 4,
            maxLength: 16,
          }),
        ),
      }),
      fc.record({
        model: fc.constant("behaviour"),
        features: fc.record(
          {
            tenure: fc.oneof(
              fc.integer({ min: 0, max: 72 }),
              hostileNumber,
              fc.constantFrom("12", null, true),
            ),
            plan: fc.oneof(
              fc.constantFrom(...PLANS),
              fc.constantFrom(5, "gold", "", null, true),
              brokenString,
            ),
          },
          { requiredKeys: [] },
        ),
      }),
      fc.record({
        model: fc.constantFrom("behaviour", "demo-behaviour"),
        user_id: fc.oneof(fc.constantFrom("demo-1", "u1"), prototypeName, brokenString),
      }),
      junkValue,
    );
    await fc.assert(
      fc.asyncProperty(body, async (value) => {
        const { status, body: answer } = await send("/predict", json("good", jsonText(value)));
        const request = value as { model?: string; vector?: unknown[]; features?: Record<string, unknown> };
        if (status === 200 && answer.degraded === false) {
          expect(Number.isFinite(answer.score), JSON.stringify(answer)).toBe(true);
        }
        if (Array.isArray(request?.vector) && request.vector.some((v) => v instanceof RawJson)) {
          // 1e308 is no float32: the model would compute on Infinity.
          expect(status, `${jsonText(value)} → ${JSON.stringify(answer)}`).toBe(400);
        }
        const plan = request?.features?.plan;
        // null and "" are a missing value, as in training (models/features/tabular-row-check.ts).
        const missing = plan === undefined || plan === null || plan === "";
        if (request?.features && !missing && !PLANS.includes(plan as string)) {
          // The README promises a 400 for a categorical attribute of the wrong type or an unknown category.
          expect(status, `${jsonText(value)} → ${JSON.stringify(answer)}`).toBe(400);
        }
      }),
      fuzzParameters("POST /predict"),
    );
  });

  it(`POST /analyze-sentiment answers ${FUZZ_RUNS} hostile bodies and content types without a 5xx`, async () => {
    const request = fc.record({
      body: fc.oneof(
        fc.record({
          text: fc.oneof(
            fc.string({ unit: "binary", maxLength: 200 }),
            brokenString,
            fc.constant("x".repeat(10_001)),
          ),
        }),
        fc.record({ text: junkValue }),
        junkValue,
      ),
      contentType: fc.constantFrom("application/json", "text/plain", "application/json; charset=latin1", ""),
      auth: authArb,
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ body, contentType, auth }) => {
        const { status, body: answer } = await send(
          "/analyze-sentiment",
          json(auth, jsonText(body), contentType),
        );
        if (status === 200) {
          expect(Number.isFinite(answer.score)).toBe(true);
        }
      }),
      fuzzParameters("POST /analyze-sentiment"),
    );
  });

  it(`GET /recommendations answers ${FUZZ_RUNS} hostile queries without a 5xx, 400 for a user_id no log could hold, and logs every decision that shows items`, async () => {
    const request = fc.record({
      user: fc.oneof(hostileQueryValue, fc.constantFrom("demo-1", "demo-2", "new-user")),
      params: fc.array(
        fc.tuple(
          fc.constantFrom(
            "surface",
            "k",
            "category",
            "exclude_category",
            "price_min",
            "price_max",
            "exclude",
            "explain",
            "__proto__",
          ),
          fc.oneof(
            urlJunk,
            fc.constantFrom("home", "cart", "10", "1e308", "-0", "NaN", "100000000", "books,music", "1"),
          ),
        ),
        { maxLength: 4 },
      ),
      auth: authArb,
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ user, params, auth }) => {
        const query = [`user_id=${user}`, ...params.map(([k, v]) => `${k}=${v}`)].join("&");
        const { status, body } = await send(`/recommendations?${query}`, { headers: headersFor(auth) });
        // An answer that shows nothing has nothing to reward, and is not logged.
        if (status === 200 && (body.items as unknown[]).length > 0) {
          recommendationDecisions.add(body.decision_id as string);
        }
        const decoded = safeDecode(user);
        if (auth !== "none" && auth !== "wrong" && decoded !== null && hasControlCharacter(decoded)) {
          expect(status, query).toBe(400);
        }
      }),
      fuzzParameters("GET /recommendations"),
    );
    await expectStoredAtOrigin("SELECT decision_id FROM learning_decisions", recommendationDecisions);
  });

  it(`GET /items/:id/similar answers ${FUZZ_RUNS} hostile ids and queries without a 5xx`, async () => {
    const request = fc.record({
      id: fc.oneof(
        hostileQueryValue,
        fc.nat(999).map((n) => `item-${n}`),
      ),
      k: fc.oneof(
        fc.constantFrom("10", "0", "101", "1e308", "-1", "NaN", "1.5", "99999999999999999999"),
        urlJunk,
      ),
      vectors: fc.constantFrom("embedding", "content", "__proto__", ""),
      auth: authArb,
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ id, k, vectors, auth }) => {
        const { status, body } = await send(`/items/${id}/similar?k=${k}&vectors=${vectors}`, {
          headers: headersFor(auth),
        });
        if (status === 200) {
          expect(Array.isArray(body.items)).toBe(true);
        }
      }),
      fuzzParameters("GET /items/:id/similar"),
    );
  });

  it(`POST /rank answers ${FUZZ_RUNS} hostile bodies without a 5xx, and the origin stores every decision it answers`, async () => {
    const action = fc.record(
      {
        id: fc.oneof(
          fc.nat(30).map((n) => `a${n}`),
          prototypeName,
          brokenString,
        ),
        features: fc.dictionary(
          fc.oneof(prototypeName, fc.constantFrom("price", "x")),
          fc.oneof(fc.double(), fc.boolean(), brokenString, hostileNumber),
        ),
        vector: fc.array(fc.oneof(fc.double(), hostileNumber), { minLength: 1, maxLength: 4 }),
      },
      { requiredKeys: ["id"] },
    );
    const body = fc.oneof(
      fc.record(
        {
          context: fc.record(
            {
              surface: fc.oneof(fc.constantFrom("home", "product", "cart", "nope"), prototypeName),
              user_id: fc.oneof(fc.constantFrom("demo-1"), prototypeName, brokenString),
              features: fc.oneof(
                fc.dictionary(
                  fc.oneof(prototypeName, fc.constantFrom("hour", "device")),
                  fc.oneof(fc.double(), fc.string(), brokenString, deepValue),
                ),
                junkValue,
              ),
            },
            { requiredKeys: ["surface"] },
          ),
          actions: fc.array(action, { minLength: 0, maxLength: 8 }),
          k: fc.oneof(fc.integer({ min: -1, max: 60 }), hostileNumber),
        },
        { requiredKeys: ["context", "actions"] },
      ),
      junkValue,
    );
    // Mostly well-formed requests, whose strings may still be hostile (a lone surrogate in a feature).
    const wellFormed = fc.record({
      context: fc.record({
        surface: fc.constantFrom("home", "product", "cart"),
        user_id: fc.oneof(fc.constantFrom("demo-1", "fz-u1"), prototypeName),
        features: fc
          .uniqueArray(
            fc.tuple(
              fc.constantFrom("hour", "device", "constructor", "toString"),
              fc.oneof(
                fc.double({ min: -5, max: 5, noNaN: true }),
                fc.boolean(),
                fc.string({ maxLength: 8 }),
                brokenString,
              ),
            ),
            { maxLength: 3, selector: ([key]) => key },
          )
          .map(objectOf),
      }),
      actions: fc
        .uniqueArray(
          fc.oneof(
            fc.nat(30).map((n) => `a${n}`),
            prototypeName,
            brokenString,
          ),
          { minLength: 1, maxLength: 6 },
        )
        .map((ids) => ids.map((id) => ({ id }))),
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 2, arbitrary: wellFormed }, { weight: 1, arbitrary: body }),
        async (value) => {
          const { status, body: answer } = await send("/rank", json("good", jsonText(value)));
          if (status === 200) {
            rankDecisions.add(answer.decision_id as string);
            expect(Array.isArray(answer.ranking)).toBe(true);
          }
        },
      ),
      fuzzParameters("POST /rank"),
    );
    await expectStoredAtOrigin("SELECT decision_id FROM learning_decisions", rankDecisions);
  });

  it(`POST /reward answers ${FUZZ_RUNS} hostile bodies without a 5xx, and the origin stores every reward it accepts`, async () => {
    const body = fc.oneof(
      fc.record(
        {
          decision_id: fc.oneof(fc.uuid(), prototypeName, brokenString),
          event_id: fc.oneof(fc.constantFrom("e1", "default"), prototypeName, brokenString),
          reward: fc.oneof(
            fc.double({ min: -1, max: 1, noNaN: true }),
            hostileNumber,
            fc.constantFrom(2, "1", null),
          ),
          slot_rewards: fc.array(
            fc.record({
              slot: fc.oneof(fc.nat(60), hostileNumber),
              reward: fc.oneof(fc.double(), hostileNumber),
            }),
            { maxLength: 3 },
          ),
          ts: fc.oneof(fc.integer(), hostileNumber, fc.constantFrom("2026-11-01T00:00:00Z", "yesterday")),
        },
        { requiredKeys: ["decision_id"] },
      ),
      junkValue,
    );
    const wellFormed = fc.record(
      {
        decision_id: fc.oneof(
          fc.uuid(),
          prototypeName,
          brokenString,
          fc.string({ minLength: 1, maxLength: 12 }),
        ),
        event_id: fc.oneof(fc.uuid(), prototypeName, brokenString),
        reward: fc.double({ min: -1, max: 1, noNaN: true }),
      },
      { requiredKeys: ["decision_id", "reward"] },
    );
    await fc.assert(
      fc.asyncProperty(
        fc.oneof({ weight: 2, arbitrary: wellFormed }, { weight: 1, arbitrary: body }),
        async (value) => {
          const { status, body: answer } = await send("/reward", json("good", jsonText(value)));
          if (status === 202) {
            acceptedRewards.add(JSON.stringify([answer.decision_id, answer.event_id]));
          }
          expect([202, 400, 413]).toContain(status);
        },
      ),
      fuzzParameters("POST /reward"),
    );
    await expectStoredAtOrigin(
      "SELECT json_build_array(decision_id, event_id)::text FROM learning_rewards",
      acceptedRewards,
      (row) => JSON.stringify(JSON.parse(row)),
    );
  });

  it(`POST /events accepts each valid event of ${FUZZ_RUNS} mixed batches, rejects each invalid one, and the origin stores each accepted event once`, async () => {
    const accepted = new Set<string>();
    let nextId = 0;
    const batch = fc.record({
      entries: fc.array(
        fc.oneof(
          { weight: 5, arbitrary: validEntry },
          { weight: 3, arbitrary: invalidRecord },
          { weight: 1, arbitrary: ambiguousRecord },
        ),
        {
          minLength: 1,
          maxLength: 8,
        },
      ),
      wrapped: fc.boolean(),
    });
    await fc.assert(
      fc.asyncProperty(batch, async ({ entries, wrapped }) => {
        const sent = entries.map((entry) => {
          const id = `fz-edge-${nextId++}`;
          const value =
            entry.value !== null &&
            typeof entry.value === "object" &&
            (entry.value as { event_id?: unknown }).event_id === EVENT_ID_PLACEHOLDER
              ? { ...entry.value, event_id: id }
              : entry.value;
          const interaction =
            entry.kind !== "invalid" && entry.input.type !== "user" && entry.input.type !== "item";
          return { kind: entry.kind, value, id, interaction };
        });
        const items = `[${sent.map((e) => jsonText(e.value)).join(",")}]`;
        const { status, body } = await send("/events", json("good", wrapped ? `{"events":${items}}` : items));
        const rejected = new Set(((body.rejected ?? []) as { index: number }[]).map((r) => r.index));
        const acceptedHere = sent.filter((_, index) => !rejected.has(index) && status === 202);
        sent.forEach((e, index) => {
          const text = jsonText(e.value).slice(0, 300);
          if (e.kind === "invalid" || (e.kind === "valid" && !e.interaction)) {
            expect(rejected.has(index), `event ${index} must be rejected: ${text}`).toBe(true);
          } else if (e.kind === "valid") {
            expect(rejected.has(index), `event ${index} is valid: ${text} → ${JSON.stringify(body)}`).toBe(
              false,
            );
          }
        });
        expect(status).toBe(rejected.size === sent.length ? 422 : 202);
        if (status === 202) {
          expect(body.accepted).toBe(acceptedHere.length);
          for (const e of acceptedHere) {
            accepted.add(e.id);
          }
        }
      }),
      fuzzParameters("POST /events"),
    );
    // Forwarded from waitUntil after each answer: wait for the origin to have them all.
    await vi.waitFor(
      async () => {
        const stored = await origin.stored("fz-edge-");
        expect(stored.length).toBeGreaterThanOrEqual(accepted.size);
      },
      { timeout: 60_000, interval: 500 },
    );
    const stored = await origin.stored("fz-edge-");
    expect(stored.map((e) => e.eventId).sort()).toEqual([...accepted].sort());
  });

  it(`answers ${FUZZ_RUNS} requests to no route, with the wrong method, preflights or bad keys with a 4xx or an empty 2xx`, async () => {
    const request = fc.record({
      method: fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"),
      path: fc.oneof(
        fc.array(urlJunk, { minLength: 1, maxLength: 3 }).map((parts) => `/${parts.join("/")}`),
        fc.constantFrom(
          "/score",
          "/predict",
          "/events",
          "/rank",
          "/reward",
          "/recommendations",
          "/items//similar",
          "/health",
        ),
        prototypeName.map((name) => `/${name}`),
      ),
      auth: authArb,
      origin: fc.constantFrom(undefined, "https://evil.example", "null", "__proto__"),
    });
    await fc.assert(
      fc.asyncProperty(request, async ({ method, path, auth, origin: requestOrigin }) => {
        const extra: Record<string, string> = requestOrigin === undefined ? {} : { origin: requestOrigin };
        if (method === "OPTIONS") {
          extra["access-control-request-method"] = "POST";
        }
        const response = await dispatch(`${edge.url.origin}${path}`, {
          method,
          headers: headersFor(auth, extra),
          ...(method === "GET" || method === "OPTIONS" ? {} : { body: "{}" }),
        });
        const text = await response.text();
        expect(response.status, `${method} ${path} → ${text.slice(0, 300)}`).toBeLessThan(500);
        // CORS_ORIGINS is empty here: no CORS header at all, for a preflight or anything else.
        const cors = [...response.headers.keys()].filter((name) => name.startsWith("access-control-allow"));
        expect(cors, `${method} ${path} from ${requestOrigin}`).toEqual([]);
      }),
      fuzzParameters("unrouted requests, preflights and keys"),
    );
  });
});

/** A user_id no decision log can hold (the contract refuses control characters in ids). */
function hasControlCharacter(text: string): boolean {
  return [...text].some((char) => char.charCodeAt(0) < 0x20 || char.charCodeAt(0) === 0x7f);
}

function safeDecode(text: string): string | null {
  try {
    return decodeURIComponent(text.replaceAll("+", " "));
  } catch {
    return null;
  }
}

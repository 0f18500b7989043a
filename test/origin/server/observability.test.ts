/**
 * Issue 14 at the origin: Prometheus text at /metrics whose counts move with what is posted, and one JSON
 * log line per request with its request id, never a key.
 */
import { Writable } from "node:stream";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openPgliteDatabase, type SqlDatabase } from "../../../origin/ingest/store/index.ts";
import { createLogger } from "../../../origin/log.ts";
import { setServingModelsSource } from "../../../origin/metrics.ts";
import { createModelRegistry } from "../../../origin/release/index.ts";
import { listen, type RunningServer } from "../../../origin/server/index.ts";
import { startTestOrigin, TEST_API_KEY, type TestOrigin } from "../support/origin-app.ts";
import { generateRecords } from "../support/records.ts";

/** `name{labels}` → value, for every sample line of a Prometheus text answer. */
function samples(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const line of text.split("\n")) {
    const match = /^([a-z_]+(?:\{[^}]*\})?) (\S+)$/.exec(line);
    if (match) {
      out.set(match[1] as string, Number(match[2]));
    }
  }
  return out;
}

const lines: Record<string, unknown>[] = [];
const sink = new Writable({
  write(chunk: Buffer, _encoding, done) {
    for (const line of chunk.toString().split("\n").filter(Boolean)) {
      lines.push(JSON.parse(line) as Record<string, unknown>);
    }
    done();
  },
});

let origin: TestOrigin;
let server: RunningServer;
/** A registry in a database of its own, opened first: a slow open between two requests would outlast the keep-alive. */
let registryDatabase: SqlDatabase;

beforeAll(async () => {
  registryDatabase = await openPgliteDatabase();
  await registryDatabase.migrate();
  origin = await startTestOrigin(undefined, {}, { log: createLogger({ level: "info", destination: sink }) });
  server = await listen(origin.app, { port: 0, host: "127.0.0.1" });
});

afterAll(async () => {
  setServingModelsSource(null);
  await server.close();
  await origin.close();
  await registryDatabase.sql.close();
});

async function scrape(): Promise<Map<string, number>> {
  const response = await fetch(`${server.url}/metrics`);
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toMatch(/^text\/plain/);
  return samples(await response.text());
}

const delta = (before: Map<string, number>, after: Map<string, number>, key: string) =>
  (after.get(key) ?? 0) - (before.get(key) ?? 0);

function postBatch(body: unknown, headers: Record<string, string> = {}) {
  return fetch(`${server.url}/v1/events/batch`, {
    method: "POST",
    headers: { "content-type": "application/json", authorization: `Bearer ${TEST_API_KEY}`, ...headers },
    body: JSON.stringify(body),
  });
}

describe("GET /metrics", () => {
  it("counts stored, duplicate and rejected records by reason as batches are posted", async () => {
    const before = await scrape();
    const records = generateRecords({ seed: 14, prefix: "metrics-" }, 6);
    const first = await postBatch([...records, { ...records[0], event_id: "bad-ts", ts: "yesterday" }]);
    expect(first.status).toBe(200);
    // The same six again: duplicates this time, plus one record without a source.
    const { source: _dropped, ...noSource } = { ...records[1], event_id: "no-source" } as Record<
      string,
      unknown
    >;
    const second = await postBatch([...records, noSource]);
    expect(second.status).toBe(200);
    const after = await scrape();

    expect(delta(before, after, 'edgewise_records_total{kind="event",outcome="stored"}')).toBe(6);
    expect(delta(before, after, 'edgewise_records_total{kind="event",outcome="duplicate"}')).toBe(6);
    expect(delta(before, after, 'edgewise_records_total{kind="event",outcome="rejected"}')).toBe(2);
    expect(delta(before, after, 'edgewise_records_rejected_total{kind="event",reason="ts"}')).toBe(1);
    expect(delta(before, after, 'edgewise_records_rejected_total{kind="event",reason="source"}')).toBe(1);
    const route = 'method="POST",route="/v1/events/batch"';
    expect(delta(before, after, `edgewise_http_requests_total{${route},status="200"}`)).toBe(2);
    expect(delta(before, after, `edgewise_http_request_duration_seconds_count{${route}}`)).toBe(2);
  });

  it("labels routes by their pattern and unknown paths as unmatched, never by the raw path", async () => {
    const before = await scrape();
    await fetch(`${server.url}/v1/experiments/exp-1/results`, {
      headers: { authorization: `Bearer ${TEST_API_KEY}` },
    });
    await fetch(`${server.url}/no/such/path-${Date.now()}`);
    const after = await scrape();
    const experiment = [...after.keys()].find((key) =>
      key.startsWith('edgewise_http_requests_total{method="GET",route="/v1/experiments/:id/results"'),
    );
    expect(experiment).toBeDefined();
    expect(
      delta(before, after, 'edgewise_http_requests_total{method="GET",route="unmatched",status="404"}'),
    ).toBe(1);
    expect([...after.keys()].some((key) => key.includes("/no/such/"))).toBe(false);
  });

  it("shows each serving model's headline metric from the model registry", async () => {
    try {
      const registry = createModelRegistry(registryDatabase.db);
      await registry.recordCandidates([
        {
          name: "recs",
          version: "r1",
          kind: "mf",
          metrics: { ndcg_at_10: 0.31 },
          sizeBytes: 10,
          sha256: "a",
          trainingWindow: null,
        },
        {
          name: "recs",
          version: "r2",
          kind: "mf",
          metrics: { ndcg_at_10: 0.42 },
          sizeBytes: 10,
          sha256: "b",
          trainingWindow: null,
        },
      ]);
      await registry.markPublished([{ name: "recs", version: "r1" }], 1);
      await registry.markPublished([{ name: "recs", version: "r2" }], 2);
      setServingModelsSource(async () =>
        (await registry.servingAll()).map((row) => ({
          model: row.name,
          version: row.version,
          metric: "ndcg_at_10",
          value: row.metrics.ndcg_at_10 ?? Number.NaN,
        })),
      );
      const after = await scrape();
      expect(after.get('edgewise_serving_model_metric{model="recs",version="r2",metric="ndcg_at_10"}')).toBe(
        0.42,
      );
      expect([...after.keys()].some((key) => key.includes('version="r1"'))).toBe(false);
    } finally {
      setServingModelsSource(null);
    }
  });
});

describe("request log", () => {
  it("writes one JSON line per request with its request id, echoed to the client, and never a key", async () => {
    lines.length = 0;
    const given = "edge-req-0123abcd";
    const answers = [
      await postBatch(generateRecords({ seed: 15, prefix: "log-" }, 2), { "x-request-id": given }),
      await fetch(`${server.url}/health`),
      await postBatch([], {
        authorization: "Bearer wrong-key-that-must-not-leak",
        "x-api-key": "other-secret-key-value",
      }),
      await fetch(`${server.url}/health`, { headers: { "x-request-id": "bad id with spaces" } }),
    ];
    await new Promise((resolve) => setImmediate(resolve));
    const requests = lines.filter((line) => line.msg === "request");
    expect(requests).toHaveLength(answers.length);
    expect(requests.map((line) => line.req_id)).toEqual(answers.map((a) => a.headers.get("x-request-id")));
    expect(requests[0]).toMatchObject({
      req_id: given,
      method: "POST",
      route: "/v1/events/batch",
      status: 200,
    });
    expect(requests[2]).toMatchObject({ status: 401 });
    expect(requests[3]?.req_id).not.toBe("bad id with spaces");
    expect(new Set(requests.map((line) => line.req_id)).size).toBe(answers.length);
    for (const line of requests) {
      expect(line).toMatchObject({ level: "info", service: "edgewise-origin" });
      expect(typeof line.ms).toBe("number");
    }
    const text = JSON.stringify(lines);
    for (const secret of [TEST_API_KEY, "wrong-key-that-must-not-leak", "other-secret-key-value"]) {
      expect(text).not.toContain(secret);
    }
  });
});

/**
 * Decision and reward logs without a queue, under concurrent requests: every decision the edge answered
 * and every reward it accepted reaches the real origin (PGlite) exactly once, and the edge's /health
 * counts what it delivered and dropped.
 */
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { type FaultyOrigin, ORIGIN_TEST_KEY, startFaultyOrigin } from "../support/faulty-origin.ts";
import { edgeJson, startDemoEdge, type TestEdge } from "../support/local-edge.ts";

let origin: FaultyOrigin;
let edge: TestEdge;

beforeAll(async () => {
  origin = await startFaultyOrigin();
  // The base URL (ORIGIN_URL): the edge finds the decision and reward endpoints under it.
  edge = await startDemoEdge(
    { ORIGIN_URL: new URL(origin.ingestUrl).origin, ORIGIN_INGEST_KEY: ORIGIN_TEST_KEY },
    { users: 10 },
  );
});

afterAll(async () => {
  await edge?.dispose();
  await origin?.close();
});

/** Runs `task` for 0 … count-1 with at most `clients` in flight, like that many concurrent clients. */
async function concurrently<T>(
  count: number,
  clients: number,
  task: (n: number) => Promise<T>,
): Promise<T[]> {
  const results: T[] = [];
  let next = 0;
  await Promise.all(
    Array.from({ length: clients }, async () => {
      while (next < count) {
        const n = next++;
        results[n] = await task(n);
      }
    }),
  );
  return results;
}

interface DeliveryCounts {
  delivered: number;
  rejected: number;
  retried: number;
  lost: number;
  pending: number;
}

async function decisionCounts(): Promise<DeliveryCounts> {
  const { body } = await edgeJson(edge, "/health");
  return (body.delivery as { decisions: DeliveryCounts }).decisions;
}

/** How many 200 answers of the origin's endpoint at `path` carried each record id. */
function arrivals(path: string): Map<string, number> {
  const delivered = new Map<string, number>();
  for (const request of origin.learningRequests) {
    if (request.path === path && request.status === 200) {
      for (const id of request.ids) {
        delivered.set(id, (delivered.get(id) ?? 0) + 1);
      }
    }
  }
  return delivered;
}

describe("learning logs without a queue", () => {
  it("delivers every decision log of concurrent requests exactly once without a queue", async () => {
    const before = await decisionCounts();
    const decisionIds = await concurrently(160, 8, async (n) => {
      const { status, body } = await edgeJson(edge, `/recommendations?user_id=demo-${n % 10}&k=3`);
      expect(status).toBe(200);
      return body.decision_id as string;
    });
    expect(new Set(decisionIds).size).toBe(160);

    await vi.waitFor(
      () => expect(decisionIds.filter((id) => !arrivals("/v1/decisions/batch").has(id))).toEqual([]),
      { timeout: 30_000, interval: 100 },
    );
    const delivered = arrivals("/v1/decisions/batch");
    expect(decisionIds.filter((id) => delivered.get(id) !== 1)).toEqual([]);
    const stored = await origin.sql.query(
      "SELECT count(*)::int FROM learning_decisions WHERE decision_id = ANY($1)",
      [decisionIds],
    );
    expect(stored[0]![0]).toBe(160);

    const after = await decisionCounts();
    expect(after.delivered - before.delivered).toBe(160);
    expect(after.lost - before.lost).toBe(0);
    expect(after.pending).toBe(0);
    // Concurrent decisions share origin requests instead of one each.
    const requests = origin.learningRequests.filter((r) => r.ids.some((id) => decisionIds.includes(id)));
    expect(requests.length).toBeLessThan(160);
  });

  it("delivers every reward of concurrent requests exactly once without a queue", async () => {
    const ids = await concurrently(80, 8, async (n) => {
      const { status, body } = await edgeJson(edge, "/reward", {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ decision_id: `concurrent-${n}`, event_id: `reward-${n}`, reward: 1 }),
      });
      expect(status).toBe(202);
      return `${body.decision_id as string}/${body.event_id as string}`;
    });
    await vi.waitFor(() => expect(ids.filter((id) => !arrivals("/v1/rewards/batch").has(id))).toEqual([]), {
      timeout: 30_000,
      interval: 100,
    });
    const delivered = arrivals("/v1/rewards/batch");
    expect(ids.filter((id) => delivered.get(id) !== 1)).toEqual([]);
  });

  it("retries decisions through an origin outage and still delivers each exactly once", async () => {
    const before = await decisionCounts();
    const failFrom = origin.learningRequests.filter((r) => r.path === "/v1/decisions/batch").length;
    // The next three decision requests fail as an unavailable store would; the origin then recovers.
    origin.learningFault = (path, seen) =>
      path === "/v1/decisions/batch" && seen >= failFrom && seen < failFrom + 3 ? 503 : "pass";
    try {
      const decisionIds = await concurrently(40, 8, async (n) => {
        const { status, body } = await edgeJson(edge, `/recommendations?user_id=demo-${n % 10}&k=2`);
        expect(status).toBe(200);
        return body.decision_id as string;
      });
      await vi.waitFor(
        () => expect(decisionIds.filter((id) => !arrivals("/v1/decisions/batch").has(id))).toEqual([]),
        { timeout: 30_000, interval: 100 },
      );
      const delivered = arrivals("/v1/decisions/batch");
      expect(decisionIds.filter((id) => delivered.get(id) !== 1)).toEqual([]);
      const after = await decisionCounts();
      expect(after.retried - before.retried).toBeGreaterThan(0);
      expect(after.lost - before.lost).toBe(0);
      expect(after.delivered - before.delivered).toBe(40);
    } finally {
      origin.learningFault = () => "pass";
    }
  });
});

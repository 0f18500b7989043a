/** The isolate's batch of direct decision and reward posts: batching, bounded retries, counted drops. */
import { afterEach, describe, expect, it, vi } from "vitest";
import { deliveryCounts } from "../../../worker/events/index.ts";
import { LearningLogBatcher } from "../../../worker/learning/log-batcher.ts";

const target = { url: "https://origin.example/v1/decisions/batch", key: "k" };
const idOf = (record: unknown) => (record as { decision_id: string }).decision_id;
const quick = { lingerMs: 5, retryDelaysMs: [0], timeoutMs: 1_000 };

afterEach(() => {
  vi.unstubAllGlobals();
  vi.restoreAllMocks();
});

/** Stubs fetch with `answer` and returns the batches (decision ids) it was sent. */
function origin(answer: (ids: string[], call: number) => Response): string[][] {
  const batches: string[][] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: RequestInit) => {
      const ids = (JSON.parse(String(init.body)) as { decision_id: string }[]).map((r) => r.decision_id);
      batches.push(ids);
      return answer(ids, batches.length);
    }),
  );
  return batches;
}

const decisions = (prefix: string, count: number) =>
  Array.from({ length: count }, (_, i) => ({ decision_id: `${prefix}${i}` }));

describe("LearningLogBatcher", () => {
  it("sends the records of concurrent requests in one origin request", async () => {
    const batches = origin(() => Response.json({ rejected: [] }));
    const batcher = new LearningLogBatcher(quick);
    const flushes = [0, 1, 2, 3].map((n) =>
      batcher.enqueue("decision", decisions(`c${n}-`, 2), target, idOf),
    );
    await Promise.all(flushes);
    expect(batches).toHaveLength(1);
    expect(batches[0]!.sort()).toEqual(["c0-0", "c0-1", "c1-0", "c1-1", "c2-0", "c2-1", "c3-0", "c3-1"]);
    expect(batcher.pending("decision")).toBe(0);
  });

  it("retries only what the origin could not take, and drops what it rejected for good", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const batches = origin((_ids, call) =>
      call === 1
        ? Response.json({ rejected: [{ index: 0, error: "decision_id: bad" }] }, { status: 200 })
        : Response.json({ rejected: [] }),
    );
    const batcher = new LearningLogBatcher(quick);
    const before = deliveryCounts().decisions;
    await batcher.enqueue("decision", decisions("r-", 3), target, idOf);
    expect(batches).toEqual([["r-0", "r-1", "r-2"]]);
    const after = deliveryCounts().decisions;
    expect(after.rejected - before.rejected).toBe(1);
    expect(after.delivered - before.delivered).toBe(2);

    let failures = 2;
    const retried = origin(() =>
      failures-- > 0 ? new Response("busy", { status: 503 }) : Response.json({}),
    );
    await batcher.enqueue("decision", decisions("s-", 2), target, idOf);
    // After a failed try the batch is halved: [s-0, s-1], then s-0 alone twice (503, then 200), then s-1.
    expect(retried).toEqual([["s-0", "s-1"], ["s-0"], ["s-0"], ["s-1"]]);
    expect(deliveryCounts().decisions.delivered - after.delivered).toBe(2);
  });

  it("does not let a record the origin keeps failing on take the records batched with it down", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    const delivered: string[] = [];
    origin((ids) => {
      if (ids.includes("m-5")) {
        return new Response("invalid input syntax for type json", { status: 503 });
      }
      delivered.push(...ids);
      return Response.json({ rejected: [] });
    });
    const batcher = new LearningLogBatcher(quick);
    const before = deliveryCounts().decisions;
    await Promise.all([
      batcher.enqueue("decision", decisions("m-", 4), target, idOf),
      batcher.enqueue("decision", decisions("m-", 8).slice(4), target, idOf),
    ]);
    expect(delivered.sort()).toEqual(["m-0", "m-1", "m-2", "m-3", "m-4", "m-6", "m-7"]);
    expect(deliveryCounts().decisions.lost - before.lost).toBe(1);
  });

  it("gives a record up as lost after its last try, and counts it", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    const error = vi.spyOn(console, "error").mockImplementation(() => {});
    const batches = origin(() => new Response("down", { status: 503 }));
    const batcher = new LearningLogBatcher({ ...quick, maxAttempts: 3 });
    const before = deliveryCounts().decisions;
    await batcher.enqueue("decision", decisions("l-", 1), target, idOf);
    expect(batches).toHaveLength(3);
    expect(deliveryCounts().decisions.lost - before.lost).toBe(1);
    expect(error).toHaveBeenCalledWith(expect.stringContaining("lost after 3 tries: l-0"));
    expect(batcher.pending("decision")).toBe(0);
  });

  it("leaves what a flush could not send within its budget for the next request's flush", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    let down = true;
    const batches = origin(() => (down ? new Response("down", { status: 503 }) : Response.json({})));
    const batcher = new LearningLogBatcher({ ...quick, budgetMs: 0 });
    await batcher.enqueue("decision", decisions("b-", 2), target, idOf);
    expect(batcher.pending("decision")).toBe(2);
    down = false;
    await batcher.enqueue("decision", decisions("b2-", 1), target, idOf);
    expect(batches.at(-1)!.sort()).toEqual(["b-0", "b-1", "b2-0"]);
    expect(batcher.pending("decision")).toBe(0);
  });

  it("drops and counts records past its buffer's bound while the origin is unreachable", async () => {
    vi.spyOn(console, "warn").mockImplementation(() => {});
    vi.spyOn(console, "error").mockImplementation(() => {});
    origin(() => new Response("down", { status: 503 }));
    const batcher = new LearningLogBatcher({ ...quick, budgetMs: 0, maxPendingRecords: 3 });
    const before = deliveryCounts().decisions;
    // Two records wait after a failed try; of four more, one fits and three are dropped.
    await batcher.enqueue("decision", decisions("o-", 2), target, idOf);
    await batcher.enqueue("decision", decisions("p-", 4), target, idOf);
    expect(deliveryCounts().decisions.lost - before.lost).toBe(3);
    expect(batcher.pending("decision")).toBe(3);
  });
});

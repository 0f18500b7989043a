/** Where the edge ships decision and reward logs, and how it splits them between the queue and direct posts. */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { DecisionRecord } from "../../../models/contracts/index.ts";
import { originTarget, QUEUE_LIMITS } from "../../../worker/events/index.ts";
import {
  type LearningLogMessage,
  learningTargets,
  shipLearningLogs,
} from "../../../worker/learning/learning-log.ts";

/** The deprecated setting alone: the learning endpoints are the events endpoint's siblings. */
const settings = {
  ORIGIN_URL: "",
  ORIGIN_INGEST_URL: "https://origin.example/v1/events/batch?x=1",
  ORIGIN_INGEST_KEY: "k",
};

afterEach(() => {
  vi.unstubAllGlobals();
});

function decisionOf(id: string, padding = 0): LearningLogMessage {
  const record: DecisionRecord = {
    decision_id: id,
    ts: Date.UTC(2026, 10, 1),
    surface: "home",
    policy: { id: "home", version: "cold-start", algorithm: "epsilon-greedy" },
    experiment: null,
    context: {},
    actions: [{ id: "a", features: { pad: "x".repeat(padding) } }],
    ranking: [{ action_id: "a", propensity: 1 }],
  };
  return { log: "decision", record };
}

describe("origin targets from ORIGIN_URL", () => {
  it("put every batch endpoint under the base URL, keeping its path prefix, with the key", () => {
    for (const base of ["https://origin.example/edgewise", "https://origin.example/edgewise/"]) {
      const configured = { ORIGIN_URL: base, ORIGIN_INGEST_URL: "", ORIGIN_INGEST_KEY: "k" };
      expect(originTarget(configured)).toEqual({
        url: "https://origin.example/edgewise/v1/events/batch",
        key: "k",
      });
      expect(learningTargets(configured)).toEqual({
        decision: { url: "https://origin.example/edgewise/v1/decisions/batch", key: "k" },
        reward: { url: "https://origin.example/edgewise/v1/rewards/batch", key: "k" },
      });
    }
  });

  it("win over the deprecated ORIGIN_INGEST_URL, and are missing when neither is set", () => {
    const both = { ...settings, ORIGIN_URL: "https://new.example" };
    expect(originTarget(both)).toEqual({ url: "https://new.example/v1/events/batch", key: "k" });
    expect(originTarget(settings)).toEqual({ url: settings.ORIGIN_INGEST_URL, key: "k" });
    const neither = { ...settings, ORIGIN_INGEST_URL: "" };
    expect(originTarget(neither)).toEqual({ missing: ["ORIGIN_URL (or the deprecated ORIGIN_INGEST_URL)"] });
    expect(learningTargets(neither)).toEqual({
      missing: ["ORIGIN_URL (or the deprecated ORIGIN_INGEST_URL)"],
    });
  });
});

describe("learning log targets", () => {
  it("sit next to the events endpoint, with its key", () => {
    expect(learningTargets(settings)).toEqual({
      decision: { url: "https://origin.example/v1/decisions/batch?x=1", key: "k" },
      reward: { url: "https://origin.example/v1/rewards/batch?x=1", key: "k" },
    });
  });

  it("are missing without the origin's URL or key, or with a URL that is not the events endpoint", () => {
    expect(learningTargets({ ...settings, ORIGIN_INGEST_KEY: "" })).toEqual({
      missing: ["ORIGIN_INGEST_KEY"],
    });
    const other = learningTargets({ ...settings, ORIGIN_INGEST_URL: "https://origin.example/ingest" });
    expect("missing" in other && other.missing[0]).toContain("ending in /events/batch");
  });
});

describe("shipping learning logs", () => {
  it("queues messages in send batches under the queue's limits, and posts one too large for a message directly", async () => {
    const sent: unknown[][] = [];
    const waited: Promise<unknown>[] = [];
    const fetches: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string, init: RequestInit) => {
        fetches.push(`${url} ${(JSON.parse(String(init.body)) as unknown[]).length}`);
        return Response.json({ rejected: [] });
      }),
    );
    const small = Array.from({ length: 150 }, (_, i) => decisionOf(`small-${i}`));
    const large = decisionOf("large", QUEUE_LIMITS.messageBytes);
    const forwarding = await shipLearningLogs([...small, large], {
      queue: {
        sendBatch: async (batch) => {
          sent.push([...batch]);
        },
      },
      targets: learningTargets(settings) as never,
      waitUntil: (promise) => waited.push(promise),
    });
    await Promise.all(waited);
    expect(forwarding).toBe("queue");
    expect(sent.map((batch) => batch.length)).toEqual([QUEUE_LIMITS.messagesPerSendBatch, 50]);
    expect(fetches).toEqual(["https://origin.example/v1/decisions/batch?x=1 1"]);
  });

  it("posts every message directly without a queue, one request per kind", async () => {
    const fetches: string[] = [];
    vi.stubGlobal(
      "fetch",
      vi.fn(async (url: string) => {
        fetches.push(url);
        return Response.json({ rejected: [] });
      }),
    );
    const waited: Promise<unknown>[] = [];
    const reward: LearningLogMessage = {
      log: "reward",
      record: { decision_id: "d", event_id: "e", ts: Date.UTC(2026, 10, 1), reward: 1 },
    };
    const forwarding = await shipLearningLogs([decisionOf("d"), reward, decisionOf("e")], {
      queue: undefined,
      targets: learningTargets(settings) as never,
      waitUntil: (promise) => waited.push(promise),
    });
    await Promise.all(waited);
    expect(forwarding).toBe("direct");
    expect(fetches.sort()).toEqual([
      "https://origin.example/v1/decisions/batch?x=1",
      "https://origin.example/v1/rewards/batch?x=1",
    ]);
  });
});

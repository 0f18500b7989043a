/** Training windows are relative to the data: a log from 1997 trains as it is, and the bounds move it. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { resolveTrainingWindow, runTrainingPipeline } from "../../../../origin/train/index.ts";
import { type GeneratedStore, openGeneratedStore } from "../support/trained-store.ts";

const DAY_MS = 86_400_000;
const END_1997 = Date.UTC(1997, 11, 31);
let store: GeneratedStore;

beforeAll(async () => {
  store = await openGeneratedStore({ endMs: END_1997 });
});
afterAll(async () => {
  await store?.eventStore.close();
});

describe("training windows", () => {
  it("trains events dated 1997 with today's clock, the learned recommender included", async () => {
    const release = await runTrainingPipeline({
      eventStore: store.eventStore,
      now: new Date(Date.UTC(2026, 0, 1)),
      options: { runId: "run-1997" },
    });
    expect(new Date(release.dataWindow.endMs).getUTCFullYear()).toBe(1997);
    expect(release.counts.events).toBe(
      store.data.records.filter((r) => r.type !== "user" && r.type !== "item").length,
    );
    expect(["mf", "ease"]).toContain(release.candidates.find((c) => c.name === "recs")?.kind);
  });

  it("reaches back the given days from the newest event, and 0 days means all", async () => {
    const newest = (await store.eventStore.newestInteractionMs())!;
    expect(await resolveTrainingWindow(store.eventStore, { days: 10 })).toMatchObject({
      sinceMs: newest + 1 - 10 * DAY_MS,
      untilMs: newest + 1,
    });
    expect((await resolveTrainingWindow(store.eventStore, { days: 0 }))?.sinceMs).toBeUndefined();
    const tenDays = await runTrainingPipeline({
      eventStore: store.eventStore,
      now: new Date(),
      options: { runId: "run-10d", window: { days: 10 } },
    });
    expect(tenDays.dataWindow.startMs).toBeGreaterThanOrEqual(newest + 1 - 10 * DAY_MS);
    expect(tenDays.dataWindow.endMs).toBe(newest);
  });

  it("takes explicit since and until bounds over the days", async () => {
    const sinceMs = END_1997 - 40 * DAY_MS;
    const untilMs = END_1997 - 20 * DAY_MS;
    const release = await runTrainingPipeline({
      eventStore: store.eventStore,
      now: new Date(),
      options: { runId: "run-bounded", window: { sinceMs, untilMs, days: 1 } },
    });
    expect(release.dataWindow.startMs).toBeGreaterThanOrEqual(sinceMs);
    expect(release.dataWindow.endMs).toBeLessThan(untilMs);
    const inWindow = store.data.records.filter(
      (r) =>
        r.type !== "user" && r.type !== "item" && (r.ts as number) >= sinceMs && (r.ts as number) < untilMs,
    );
    expect(release.counts.events).toBe(inWindow.length);
  });

  it("refuses an empty or inverted window with a clear error", async () => {
    await expect(resolveTrainingWindow(store.eventStore, { sinceMs: 10, untilMs: 5 })).rejects.toThrow(
      /is not before until/,
    );
    await expect(resolveTrainingWindow(store.eventStore, { days: -1 })).rejects.toThrow(/0 \(all\) or more/);
  });
});

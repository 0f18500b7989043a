import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import type { RunTrigger } from "../../../../origin/release/registry/index.ts";
import { type SchedulerRun, startRetrainScheduler } from "../../../../origin/train/index.ts";

/** A run the test finishes by hand, recording what triggered it. */
function controllableRuns() {
  const triggers: RunTrigger[] = [];
  const pending: Array<(run: SchedulerRun) => void> = [];
  return {
    triggers,
    run: (trigger: RunTrigger) => {
      triggers.push(trigger);
      return new Promise<SchedulerRun>((resolve) => pending.push(resolve));
    },
    finish: (outcome = "published") => pending.shift()?.({ outcome, message: "done" }),
  };
}

describe("the retrain scheduler", () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs one training at a time: a trigger during a run joins it", async () => {
    const runs = controllableRuns();
    const scheduler = await startRetrainScheduler({
      intervalSeconds: 0,
      afterEvents: 0,
      pollSeconds: 1,
      latestEventSeq: async () => 0,
      run: runs.run,
      log: () => {},
    });
    const first = scheduler.trigger("manual");
    const second = scheduler.trigger("schedule");
    expect(scheduler.running).toBe(true);
    await vi.advanceTimersByTimeAsync(0);
    runs.finish();
    expect(await first).toEqual(await second);
    expect(runs.triggers).toEqual(["manual"]);
    expect(scheduler.running).toBe(false);
    const third = scheduler.trigger("events");
    await vi.advanceTimersByTimeAsync(0);
    runs.finish("rejected");
    expect((await third).outcome).toBe("rejected");
    expect(runs.triggers).toEqual(["manual", "events"]);
    await scheduler.stop();
  });

  it("retrains on its interval, and not after it is stopped", async () => {
    const runs = controllableRuns();
    const scheduler = await startRetrainScheduler({
      intervalSeconds: 60,
      afterEvents: 0,
      pollSeconds: 1,
      latestEventSeq: async () => 0,
      run: runs.run,
      log: () => {},
    });
    await vi.advanceTimersByTimeAsync(59_000);
    expect(runs.triggers).toEqual([]);
    await vi.advanceTimersByTimeAsync(1_000);
    expect(runs.triggers).toEqual(["schedule"]);
    // A tick while the run is still going does not start a second one.
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs.triggers).toEqual(["schedule"]);
    runs.finish();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(runs.triggers).toEqual(["schedule", "schedule"]);
    runs.finish();
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(600_000);
    expect(runs.triggers).toHaveLength(2);
  });

  it("retrains once N records have arrived since the last run started, counting from its start", async () => {
    const runs = controllableRuns();
    let seq = 1000;
    const scheduler = await startRetrainScheduler({
      intervalSeconds: 0,
      afterEvents: 500,
      pollSeconds: 10,
      latestEventSeq: async () => seq,
      run: runs.run,
      log: () => {},
    });
    seq += 499;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs.triggers).toEqual([]);
    seq += 1;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs.triggers).toEqual(["events"]);
    // Records arriving during the run count towards the next one.
    seq += 600;
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs.triggers).toEqual(["events"]);
    runs.finish();
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs.triggers).toEqual(["events", "events"]);
    runs.finish();
    await vi.advanceTimersByTimeAsync(50_000);
    expect(runs.triggers).toHaveLength(2);
    await scheduler.stop();
  });

  it("keeps going after a run throws", async () => {
    let calls = 0;
    const lines: string[] = [];
    const scheduler = await startRetrainScheduler({
      intervalSeconds: 0,
      afterEvents: 0,
      pollSeconds: 1,
      latestEventSeq: async () => 0,
      run: async () => {
        calls++;
        throw new Error("database gone");
      },
      log: (line) => lines.push(line),
    });
    expect(await scheduler.trigger("manual")).toEqual({ outcome: "failed", message: "database gone" });
    expect(await scheduler.trigger("manual")).toMatchObject({ outcome: "failed" });
    expect(calls).toBe(2);
    expect(lines[0]).toMatch(/retrain \(manual\) failed: database gone/);
    await scheduler.stop();
  });
});

/** The serve command's learning schedule: runs only when there is work, one at a time, and stops cleanly. */
import { afterEach, describe, expect, it, vi } from "vitest";
import type { LearningReport } from "../../../origin/learn/index.ts";
import { startLearningScheduler } from "../../../origin/learn/scheduled-learning.ts";

afterEach(() => {
  vi.useRealTimers();
});

function report(message: string): LearningReport {
  return { message } as LearningReport;
}

describe("the learning schedule", () => {
  it("runs every interval when a join would change something, and never two runs at once", async () => {
    vi.useFakeTimers();
    let work = false;
    let release: () => void = () => {};
    const run = vi.fn(
      () => new Promise<LearningReport>((resolve) => (release = () => resolve(report("done")))),
    );
    const lines: string[] = [];
    const scheduler = startLearningScheduler({
      intervalSeconds: 300,
      hasWork: async () => work,
      run,
      options: { windowMs: 1 },
      log: (line) => lines.push(line),
    });
    await vi.advanceTimersByTimeAsync(300_000);
    expect(run).not.toHaveBeenCalled();
    work = true;
    await vi.advanceTimersByTimeAsync(300_000);
    expect(run).toHaveBeenCalledTimes(1);
    expect(run).toHaveBeenCalledWith({ windowMs: 1 });
    await vi.advanceTimersByTimeAsync(600_000);
    expect(run).toHaveBeenCalledTimes(1);
    release();
    await vi.advanceTimersByTimeAsync(300_000);
    expect(run).toHaveBeenCalledTimes(2);
    const stopped = scheduler.stop();
    release();
    await stopped;
    await vi.advanceTimersByTimeAsync(900_000);
    expect(run).toHaveBeenCalledTimes(2);
    expect(lines).toEqual(["learn: done", "learn: done"]);
  });

  it("logs a failed run and keeps going", async () => {
    const lines: string[] = [];
    const scheduler = startLearningScheduler({
      intervalSeconds: 3600,
      hasWork: async () => true,
      run: async () => {
        throw new Error("store down");
      },
      options: {},
      log: (line) => lines.push(line),
    });
    await scheduler.tick();
    await scheduler.tick();
    await scheduler.stop();
    expect(lines).toEqual(["learn failed: store down", "learn failed: store down"]);
  });
});

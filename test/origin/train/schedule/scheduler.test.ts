import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { inProcessRunLocks } from "../../../../origin/ingest/store/run-locks.ts";
import type { RunTrigger } from "../../../../origin/release/registry/index.ts";
import { type SchedulerRun, startRetrainScheduler } from "../../../../origin/train/index.ts";

const MINUTE = 60_000;

/**
 * What the scheduler reads from the database, simulated: the registry's runs (a run is recorded when it
 * starts, as runTrainingCycle does) and the event log's sequence with each record's arrival time. Shared
 * by several schedulers, it stands for one database behind several instances or restarts.
 */
function simulatedDatabase() {
  const runStarts: number[] = [];
  const events: number[] = [];
  return {
    runStarts,
    addEvents(count: number) {
      for (let i = 0; i < count; i++) {
        events.push(Date.now());
      }
    },
    lastRunStartedAt: async () => (runStarts.length === 0 ? null : new Date(runStarts.at(-1)!)),
    latestEventSeq: async (receivedBy?: Date) =>
      receivedBy === undefined ? events.length : events.filter((t) => t <= receivedBy.getTime()).length,
  };
}

/** Runs the test finishes by hand, recording what triggered them and when they started. */
function controllableRuns(db: ReturnType<typeof simulatedDatabase>) {
  const triggers: RunTrigger[] = [];
  const pending: Array<(run: SchedulerRun) => void> = [];
  return {
    triggers,
    run: (trigger: RunTrigger) => {
      triggers.push(trigger);
      db.runStarts.push(Date.now());
      return new Promise<SchedulerRun>((resolve) => pending.push(resolve));
    },
    finish: (outcome = "published") => pending.shift()?.({ outcome, message: "done" }),
  };
}

/** A quiet scheduler over `db` with the given timing, whose runs the test finishes by hand (`runs`). */
async function startControlledScheduler(
  db: ReturnType<typeof simulatedDatabase>,
  timing: { intervalSeconds: number; afterEvents: number; pollSeconds: number },
) {
  const runs = controllableRuns(db);
  const scheduler = await startRetrainScheduler({ ...timing, ...db, run: runs.run, log: () => {} });
  return { runs, scheduler };
}

describe("the retrain scheduler", () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: new Date("2026-12-01T00:00:00Z") });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it("runs one training at a time in a process: a trigger during a run joins it", async () => {
    const db = simulatedDatabase();
    const { runs, scheduler } = await startControlledScheduler(db, {
      intervalSeconds: 0,
      afterEvents: 0,
      pollSeconds: 1,
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

  it("keeps its interval across a restart: due from the last recorded run, not from its own start", async () => {
    const db = simulatedDatabase();
    db.runStarts.push(Date.now() - 50 * MINUTE); // a run of the process before the restart
    const { runs, scheduler } = await startControlledScheduler(db, {
      intervalSeconds: 3600,
      afterEvents: 0,
      pollSeconds: 60,
    });
    await vi.advanceTimersByTimeAsync(9 * MINUTE);
    expect(runs.triggers).toEqual([]);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(runs.triggers).toEqual(["schedule"]);
    // A poll while the run is still going does not start a second one.
    await vi.advanceTimersByTimeAsync(60 * MINUTE);
    expect(runs.triggers).toEqual(["schedule"]);
    runs.finish();
    // It started an hour and a bit ago: due at the next poll.
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(runs.triggers).toEqual(["schedule", "schedule"]);
    runs.finish();
    await scheduler.stop();
    await vi.advanceTimersByTimeAsync(600 * MINUTE);
    expect(runs.triggers).toHaveLength(2);
  });

  it("runs at once when no run was ever recorded", async () => {
    const db = simulatedDatabase();
    const { runs, scheduler } = await startControlledScheduler(db, {
      intervalSeconds: 86_400,
      afterEvents: 0,
      pollSeconds: 30,
    });
    await vi.advanceTimersByTimeAsync(30_000);
    expect(runs.triggers).toEqual(["schedule"]);
    runs.finish();
    await scheduler.stop();
  });

  it("retrains once N records have arrived since the last run started, those before a restart included", async () => {
    const db = simulatedDatabase();
    db.addEvents(1000);
    await vi.advanceTimersByTimeAsync(1000);
    db.runStarts.push(Date.now());
    await vi.advanceTimersByTimeAsync(1000);
    db.addEvents(300); // arrived before this process started, after the last run
    const { runs, scheduler } = await startControlledScheduler(db, {
      intervalSeconds: 0,
      afterEvents: 500,
      pollSeconds: 10,
    });
    db.addEvents(199);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs.triggers).toEqual([]);
    db.addEvents(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(runs.triggers).toEqual(["events"]);
    // Records arriving during the run count towards the next one.
    await vi.advanceTimersByTimeAsync(1000);
    db.addEvents(600);
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

  it("runs once per interval with two instances on one database", async () => {
    const db = simulatedDatabase();
    const locks = inProcessRunLocks();
    const started: string[] = [];
    const busy: string[] = [];
    let finish = () => {};
    const instance = (name: string) =>
      startRetrainScheduler({
        intervalSeconds: 3600,
        afterEvents: 0,
        pollSeconds: 60,
        ...db,
        run: async () => {
          const outcome = await locks.hold("train", "try", async () => {
            started.push(name);
            db.runStarts.push(Date.now());
            await new Promise<void>((resolve) => {
              finish = resolve;
            });
            return { outcome: "published", message: "done" };
          });
          if (!outcome.acquired) {
            busy.push(name);
            return { outcome: "busy", message: "another run is going" };
          }
          return outcome.value;
        },
        log: () => {},
      });
    const a = await instance("a");
    const b = await instance("b");
    await vi.advanceTimersByTimeAsync(60_000);
    // Whichever polls second either sees the run recorded (not due) or finds the lock held (busy).
    expect(started).toHaveLength(1);
    expect(busy.length).toBeLessThanOrEqual(1);
    finish();
    await vi.advanceTimersByTimeAsync(59 * MINUTE);
    expect(started).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(MINUTE);
    expect(started).toHaveLength(2);
    finish();
    await a.stop();
    await b.stop();
  });

  it("keeps going after a run throws", async () => {
    let calls = 0;
    const lines: string[] = [];
    const scheduler = await startRetrainScheduler({
      intervalSeconds: 0,
      afterEvents: 0,
      pollSeconds: 1,
      ...simulatedDatabase(),
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

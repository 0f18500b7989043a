/**
 * Retraining on the origin's own schedule, from what the database holds, so that it survives restarts
 * and agrees between instances: a run is due when the last recorded run (any process's, from the
 * registry's training_runs) started `intervalSeconds` ago or more, or when `afterEvents` records have
 * arrived since it started. Every `pollSeconds` the scheduler looks (an index lookup for the newest
 * event; the event count at the last run's start is read once per run). A restarted `edgewise serve`
 * therefore keeps the cadence instead of starting its interval afresh, and N instances do not run N times
 * as often: the `train` run lock lets one of them run and the others find it busy.
 *
 * In this process, one run at a time: a trigger that arrives while a run is going joins it instead of
 * queueing another. Timers are unref'd, so they never keep a process alive on their own.
 */
import type { RunTrigger } from "../../release/index.ts";

export interface SchedulerRun {
  outcome: string;
  message: string;
}

export interface RetrainSchedulerOptions {
  /** 0 turns the interval off. */
  intervalSeconds: number;
  /** 0 turns the event trigger off. */
  afterEvents: number;
  pollSeconds: number;
  /** When the newest recorded training run started (any process or instance), null before the first. */
  lastRunStartedAt: () => Promise<Date | null>;
  /** The event log's highest sequence number (ingestion order), 0 when empty; with a time, the highest received by then. */
  latestEventSeq: (receivedBy?: Date) => Promise<number>;
  run: (trigger: RunTrigger) => Promise<SchedulerRun>;
  log?: (line: string) => void;
  /** The clock; Date.now by default. */
  now?: () => number;
}

export interface RetrainScheduler {
  /** Starts a run, or joins the one going. */
  trigger(trigger: RunTrigger): Promise<SchedulerRun>;
  /** Whether a run is going. */
  readonly running: boolean;
  /** Looks whether a run is due and starts it (what each poll does). */
  poll(): Promise<void>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export async function startRetrainScheduler(options: RetrainSchedulerOptions): Promise<RetrainScheduler> {
  const log = options.log ?? ((line: string) => console.log(line));
  const now = options.now ?? Date.now;
  let current: Promise<SchedulerRun> | null = null;
  let stopped = false;
  let polling = false;
  /** The event count at the last run's start, read once per run. */
  let seqAtRun: { startedAtMs: number; seq: number } | null = null;

  function trigger(reason: RunTrigger): Promise<SchedulerRun> {
    if (current) {
      return current;
    }
    if (stopped) {
      return Promise.resolve({ outcome: "skipped", message: "the scheduler is stopped" });
    }
    const run = (async (): Promise<SchedulerRun> => {
      try {
        const result = await options.run(reason);
        log(`retrain (${reason}): ${result.outcome}: ${result.message}`);
        return result;
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        log(`retrain (${reason}) failed: ${message}`);
        return { outcome: "failed", message };
      }
    })();
    current = run.finally(() => {
      current = null;
    });
    return current;
  }

  async function due(): Promise<RunTrigger | null> {
    const last = await options.lastRunStartedAt();
    if (
      options.intervalSeconds > 0 &&
      (last === null || now() - last.getTime() >= options.intervalSeconds * 1000)
    ) {
      return "schedule";
    }
    if (options.afterEvents > 0) {
      const startedAtMs = last?.getTime() ?? 0;
      if (seqAtRun?.startedAtMs !== startedAtMs) {
        seqAtRun = { startedAtMs, seq: last === null ? 0 : await options.latestEventSeq(last) };
      }
      if ((await options.latestEventSeq()) - seqAtRun.seq >= options.afterEvents) {
        return "events";
      }
    }
    return null;
  }

  async function poll(): Promise<void> {
    if (polling || current || stopped) {
      return;
    }
    polling = true;
    try {
      const reason = await due();
      if (reason !== null) {
        void trigger(reason);
      }
    } catch (error) {
      log(`retrain: cannot read the schedule's state: ${error instanceof Error ? error.message : error}`);
    } finally {
      polling = false;
    }
  }

  const timers: NodeJS.Timeout[] = [];
  if (options.intervalSeconds > 0 || options.afterEvents > 0) {
    const timer = setInterval(() => void poll(), options.pollSeconds * 1000);
    timer.unref();
    timers.push(timer);
  }

  return {
    trigger,
    poll,
    get running() {
      return current !== null;
    },
    async stop() {
      stopped = true;
      for (const timer of timers) {
        clearInterval(timer);
      }
      await current;
    },
  };
}

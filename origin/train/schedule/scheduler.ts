/**
 * Retraining on the origin's own schedule: every `intervalSeconds`, and once `afterEvents` new records
 * have arrived since the last run started (checked every `pollSeconds` from the event log's highest
 * sequence number, an index lookup rather than a count). One run at a time: a trigger that arrives while
 * a run is going joins it instead of queueing another, and the events that arrived meanwhile trigger the
 * next run at a later poll. Timers are unref'd, so they never keep a process alive on their own.
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
  /** The event log's highest sequence number (ingestion order), 0 when empty. */
  latestEventSeq: () => Promise<number>;
  run: (trigger: RunTrigger) => Promise<SchedulerRun>;
  log?: (line: string) => void;
}

export interface RetrainScheduler {
  /** Starts a run, or joins the one going. */
  trigger(trigger: RunTrigger): Promise<SchedulerRun>;
  /** Whether a run is going. */
  readonly running: boolean;
  /** Stops the timers and waits for a run in progress. */
  stop(): Promise<void>;
}

export async function startRetrainScheduler(options: RetrainSchedulerOptions): Promise<RetrainScheduler> {
  const log = options.log ?? ((line: string) => console.log(line));
  let current: Promise<SchedulerRun> | null = null;
  let stopped = false;
  // Records ingested before the scheduler started are the last run's business, not a reason to run now.
  let seqAtLastRun = options.afterEvents > 0 ? await options.latestEventSeq() : 0;
  const timers: NodeJS.Timeout[] = [];

  function trigger(reason: RunTrigger): Promise<SchedulerRun> {
    if (current) {
      return current;
    }
    if (stopped) {
      return Promise.resolve({ outcome: "skipped", message: "the scheduler is stopped" });
    }
    const run = (async (): Promise<SchedulerRun> => {
      if (options.afterEvents > 0) {
        seqAtLastRun = await options.latestEventSeq();
      }
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

  if (options.intervalSeconds > 0) {
    const timer = setInterval(() => {
      void trigger("schedule");
    }, options.intervalSeconds * 1000);
    timer.unref();
    timers.push(timer);
  }
  if (options.afterEvents > 0) {
    let polling = false;
    const timer = setInterval(async () => {
      if (polling || current || stopped) {
        return;
      }
      polling = true;
      try {
        const seq = await options.latestEventSeq();
        if (seq - seqAtLastRun >= options.afterEvents) {
          void trigger("events");
        }
      } catch (error) {
        log(`retrain: cannot read the event count: ${error instanceof Error ? error.message : error}`);
      } finally {
        polling = false;
      }
    }, options.pollSeconds * 1000);
    timer.unref();
    timers.push(timer);
  }

  return {
    trigger,
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

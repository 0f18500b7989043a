/**
 * Learning runs on the origin's own short cycle (`edgewise serve`, LEARN_INTERVAL_SECONDS): minutes, not
 * the nightly retraining's hours, since a run only adds the latest decisions to small matrices. One run
 * at a time: a tick that finds one going is skipped. A tick with no open decision and no pending reward
 * does nothing at all (no publish target is opened). The timer is unref'd, so it never keeps a process
 * alive on its own.
 */
import type { LearningOptions, LearningReport } from "./run-learning.ts";

export interface LearningSchedulerOptions {
  intervalSeconds: number;
  /** Whether there is anything to join. */
  hasWork: () => Promise<boolean>;
  run: (options: LearningOptions) => Promise<LearningReport>;
  options: LearningOptions;
  log?: (line: string) => void;
}

export interface LearningScheduler {
  /** Runs now unless a run is going (then waits for that one). */
  tick(): Promise<void>;
  /** Stops the timer and waits for a run in progress. */
  stop(): Promise<void>;
}

export function startLearningScheduler(options: LearningSchedulerOptions): LearningScheduler {
  const log = options.log ?? ((line: string) => console.log(line));
  let current: Promise<void> | null = null;
  let stopped = false;
  const tick = (): Promise<void> => {
    if (current || stopped) {
      return current ?? Promise.resolve();
    }
    current = (async () => {
      try {
        if (await options.hasWork()) {
          log(`learn: ${(await options.run(options.options)).message}`);
        }
      } catch (error) {
        // Another instance's run holds the lock: this tick has nothing to do.
        const busy = error instanceof Error && error.name === "RunBusyError";
        log(
          `learn ${busy ? "skipped" : "failed"}: ${error instanceof Error ? error.message : String(error)}`,
        );
      }
    })().finally(() => {
      current = null;
    });
    return current;
  };
  const timer = setInterval(() => void tick(), options.intervalSeconds * 1000);
  timer.unref();
  return {
    tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await current;
    },
  };
}

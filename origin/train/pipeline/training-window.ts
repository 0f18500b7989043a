/**
 * Which events a run trains on. The window ends at the newest stored interaction, not at the wall clock,
 * so a year-old export or a 1997 benchmark trains as it is; it reaches back `days` from there (0 = all of
 * history). `sinceMs` and `untilMs` pin either end explicitly.
 */
import type { EventStore } from "../../ingest/index.ts";

export interface TrainingWindowOptions {
  /** Only events at or after this time (epoch ms). Overrides `days`. */
  sinceMs?: number;
  /** Only events before this time (epoch ms). Default: just after the newest stored interaction. */
  untilMs?: number;
  /** Days of history before the window's end; 0 = all. Default 365 (TRAIN_WINDOW_DAYS). */
  days?: number;
}

export const TRAINING_WINDOW_DEFAULTS = { days: 365 } as const;

/** The resolved bounds: `sinceMs` undefined means from the first event. */
export interface TrainingWindow {
  sinceMs: number | undefined;
  untilMs: number;
  /** Why the window is what it is, for the run's notes and errors. */
  description: string;
}

const iso = (ms: number) => new Date(ms).toISOString();

export async function resolveTrainingWindow(
  store: Pick<EventStore, "newestInteractionMs">,
  options: TrainingWindowOptions = {},
): Promise<TrainingWindow | null> {
  const days = options.days ?? TRAINING_WINDOW_DEFAULTS.days;
  if (!(Number.isFinite(days) && days >= 0)) {
    throw new RangeError(`the training window's days must be 0 (all) or more, got ${days}`);
  }
  let untilMs = options.untilMs;
  if (untilMs === undefined) {
    const newest = await store.newestInteractionMs();
    if (newest === null) {
      return null;
    }
    untilMs = newest + 1;
  }
  const sinceMs = options.sinceMs ?? (days > 0 ? untilMs - days * 86_400_000 : undefined);
  if (sinceMs !== undefined && sinceMs >= untilMs) {
    throw new RangeError(
      `the training window is empty: since ${iso(sinceMs)} is not before until ${iso(untilMs)}`,
    );
  }
  const end = options.untilMs === undefined ? `the newest interaction (${iso(untilMs - 1)})` : iso(untilMs);
  const start =
    options.sinceMs !== undefined
      ? `from ${iso(options.sinceMs)}`
      : days > 0
        ? `${days} days`
        : "all history";
  return { sinceMs, untilMs, description: `${start} up to ${end}` };
}

/**
 * Marks the start and end of a named span of a request (Server-Timing at the edge). The runtime, the
 * stores and the recommend flow take one instead of a Hono context, so they run unchanged in Node tests.
 */
export interface SpanTimer {
  start(name: string): void;
  end(name: string): void;
}

/** A timer that records nothing, for callers with no request to report to. */
export const noSpanTimer: SpanTimer = { start: () => {}, end: () => {} };

/** Runs `work` inside the span `name`, ending it however `work` ends. */
export async function timed<T>(timer: SpanTimer, name: string, work: () => Promise<T>): Promise<T> {
  timer.start(name);
  try {
    return await work();
  } finally {
    timer.end(name);
  }
}

/**
 * Decision and reward logs posted to the origin without a queue, batched per isolate: each request adds
 * its records to the isolate's buffer and hands a flush to its own waitUntil. The flush waits a moment
 * so that concurrent requests' records join one origin request, then sends whatever the buffer holds,
 * retrying what the origin could not take with a bounded backoff. Only plain records are shared between
 * requests, never an I/O object: every origin request is made, and awaited, by the request whose flush
 * took the records (workerd forbids one request's I/O from being used by another).
 *
 * Delivery is at most once but bounded, not silent: a record is tried at most `maxAttempts` times, a
 * flush stops within `budgetMs` (waitUntil work ends 30 seconds after the response) and leaves what it
 * could not send for the next request's flush, and every drop is logged and counted (GET /health).
 * After a failed round a flush sends smaller batches, so one record that makes the origin fail cannot
 * hold back the records of other requests that share its batch.
 */
import {
  countDelivery,
  type DeliveryOutcome,
  type DeliveryStream,
  deliverToOrigin,
  logOutcomes,
  type OriginTarget,
} from "../events/index.ts";

export type LearningLogKind = "decision" | "reward";

export interface LogBatcherOptions {
  /** How long a flush waits for other requests' records before sending. */
  lingerMs: number;
  /** Records per origin request. */
  maxBatchRecords: number;
  /** Records the buffer holds at most; later ones are dropped (and counted) while the origin is down. */
  maxPendingRecords: number;
  /** Per origin request. */
  timeoutMs: number;
  /** A record's wait before its second, third… try; the last repeats. */
  retryDelaysMs: readonly number[];
  /** Tries per record, over every flush, before it is dropped as lost. */
  maxAttempts: number;
  /**
   * A flush starts no new round after this long, and waits out a record's backoff only when it ends
   * within it.
   */
  budgetMs: number;
}

const defaults: LogBatcherOptions = {
  lingerMs: 25,
  maxBatchRecords: 200,
  maxPendingRecords: 10_000,
  timeoutMs: 5_000,
  retryDelaysMs: [250, 1_000, 3_000],
  maxAttempts: 6,
  budgetMs: 20_000,
};

interface Pending {
  record: unknown;
  attempts: number;
  /** Not sent again before this (the backoff after its last failed try). */
  readyAtMs: number;
}

const streams: Record<LearningLogKind, DeliveryStream> = { decision: "decisions", reward: "rewards" };

export class LearningLogBatcher {
  readonly #options: LogBatcherOptions;
  readonly #pending: Record<LearningLogKind, Pending[]> = { decision: [], reward: [] };

  constructor(options: Partial<LogBatcherOptions> = {}) {
    this.#options = { ...defaults, ...options };
  }

  /** Records waiting in this isolate for a flush. */
  pending(kind: LearningLogKind): number {
    return this.#pending[kind].length;
  }

  /**
   * Buffers the records and returns this request's flush, for its waitUntil. Never rejects: whatever
   * goes wrong is logged and counted.
   */
  enqueue(
    kind: LearningLogKind,
    records: readonly unknown[],
    target: OriginTarget,
    idOf: (record: unknown) => string,
    /** The request whose waitUntil flushes; its id goes to the origin with the batch. */
    requestId?: string,
  ): Promise<void> {
    const buffer = this.#pending[kind];
    const room = Math.max(0, this.#options.maxPendingRecords - buffer.length);
    for (const record of records.slice(0, room)) {
      buffer.push({ record, attempts: 0, readyAtMs: 0 });
    }
    const overflow = records.slice(room);
    if (overflow.length > 0) {
      countDelivery(streams[kind], { lost: overflow.length });
      console.error(
        `${kind}s (direct): ${overflow.length} record(s) dropped, ${buffer.length} already wait for the ` +
          `origin: ${overflow.map(idOf).slice(0, 20).join(", ")}`,
      );
    }
    return this.#flush(kind, target, idOf, requestId).catch((error: unknown) => {
      console.error(`${kind}s (direct): flush failed: ${error instanceof Error ? error.message : error}`);
    });
  }

  async #flush(
    kind: LearningLogKind,
    target: OriginTarget,
    idOf: (record: unknown) => string,
    requestId: string | undefined,
  ): Promise<void> {
    const options = this.#options;
    const label = `${kind}s (direct)`;
    const startedMs = Date.now();
    await sleep(options.lingerMs);
    // Halved after each failed round: a record the origin keeps failing on (not rejecting) is soon sent
    // alone, and the records batched with it, from other requests too, go through without it.
    let limit = options.maxBatchRecords;
    for (let round = 0; ; round++) {
      if (round > 0 && Date.now() - startedMs >= options.budgetMs) {
        return; // What is left waits for the next request's flush.
      }
      const batch = this.#takeReady(kind, limit, Date.now());
      if (batch.length === 0) {
        const readyAtMs = this.#nextReadyAtMs(kind);
        if (readyAtMs === null || readyAtMs - startedMs > options.budgetMs) {
          return; // Nothing left, or not within this flush's time: the next request's flush sends it.
        }
        await sleep(Math.max(0, readyAtMs - Date.now()));
        continue;
      }
      const records = batch.map((pending) => pending.record);
      const outcomes = await deliverToOrigin(records, target, {
        timeoutMs: options.timeoutMs,
        ...(requestId === undefined ? {} : { requestId }),
      });
      logOutcomes(label, records, outcomes, "retrying", idOf);
      const again: Pending[] = [];
      const lost: string[] = [];
      const nowMs = Date.now();
      outcomes.forEach((outcome: DeliveryOutcome, index) => {
        const pending = batch[index]!;
        if (outcome.kind !== "retry") {
          return;
        }
        pending.attempts++;
        if (pending.attempts >= options.maxAttempts) {
          lost.push(idOf(pending.record));
        } else {
          const delays = options.retryDelaysMs;
          pending.readyAtMs = nowMs + (delays[Math.min(pending.attempts, delays.length) - 1] ?? 0);
          again.push(pending);
        }
      });
      countDelivery(streams[kind], {
        delivered: outcomes.filter((outcome) => outcome.kind === "delivered").length,
        rejected: outcomes.filter((outcome) => outcome.kind === "rejected").length,
        retried: again.length,
        lost: lost.length,
      });
      if (lost.length > 0) {
        console.error(
          `${label}: ${lost.length} record(s) lost after ${options.maxAttempts} tries: ${lost.slice(0, 20).join(", ")}`,
        );
      }
      if (again.length > 0) {
        // Back at the front, in order, each waiting out its own backoff, whichever flush sends it next.
        this.#pending[kind].unshift(...again);
        limit = Math.max(1, Math.ceil(batch.length / 2));
      }
    }
  }

  /** Up to `limit` records whose backoff has passed, taken out of the buffer in order. */
  #takeReady(kind: LearningLogKind, limit: number, nowMs: number): Pending[] {
    const buffer = this.#pending[kind];
    const taken: Pending[] = [];
    const kept: Pending[] = [];
    for (const pending of buffer) {
      (taken.length < limit && pending.readyAtMs <= nowMs ? taken : kept).push(pending);
    }
    if (taken.length > 0) {
      buffer.splice(0, buffer.length, ...kept);
    }
    return taken;
  }

  #nextReadyAtMs(kind: LearningLogKind): number | null {
    let next: number | null = null;
    for (const pending of this.#pending[kind]) {
      next = next === null ? pending.readyAtMs : Math.min(next, pending.readyAtMs);
    }
    return next;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** The isolate's batcher: module state lives as long as the isolate. */
export const learningLogBatcher = new LearningLogBatcher();

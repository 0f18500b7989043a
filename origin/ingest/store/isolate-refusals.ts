/**
 * Writes a batch so that one record the store refuses costs only itself: the whole batch first, and when
 * the store refuses it for a reason that would not change on retry (see isStoreUnreachable), each half on
 * its own, down to the single record, which is then reported as refused. A batch with one bad record
 * takes about 2·log2(n) extra writes; the writes are idempotent, so halves already stored stay stored.
 * An unreachable store stops everything with StoreUnreachableError (the endpoints answer 503).
 */
import { isStoreUnreachable } from "./store-failure.ts";

export class StoreUnreachableError extends Error {
  constructor(cause: unknown) {
    super((cause as Error)?.message ?? String(cause), { cause });
    this.name = "StoreUnreachableError";
  }
}

export interface IsolatedWrite<R> {
  /** The results of the writes that succeeded, each with the positions (into `count`) it covered. */
  stored: { positions: number[]; result: R }[];
  /** Positions the store refused on their own, with its message. */
  refused: { position: number; message: string }[];
}

/**
 * What the stored parts of an isolated write add up to: the records stored, and the positions (into
 * `count`) of those the store already held, in the order the parts were written.
 */
export function tallyStored(
  stored: IsolatedWrite<{ storedCount: number; duplicateIndexes: readonly number[] }>["stored"],
): { storedCount: number; duplicatePositions: number[] } {
  let storedCount = 0;
  const duplicatePositions: number[] = [];
  for (const { positions, result } of stored) {
    storedCount += result.storedCount;
    for (const d of result.duplicateIndexes) {
      duplicatePositions.push(positions[d]!);
    }
  }
  return { storedCount, duplicatePositions };
}

/**
 * `write(positions, whole)` writes the records at those positions (`whole` is true only for the first,
 * undivided attempt). `reachable` is asked before the first refusal is believed: a store that no longer
 * answers a ping was failing, not refusing.
 */
export async function writeIsolatingRefusals<R>(
  count: number,
  write: (positions: number[], whole: boolean) => Promise<R>,
  reachable: () => Promise<boolean>,
): Promise<IsolatedWrite<R>> {
  const outcome: IsolatedWrite<R> = { stored: [], refused: [] };
  let checkedReachable = false;
  const attempt = async (positions: number[], whole: boolean): Promise<void> => {
    try {
      outcome.stored.push({ positions, result: await write(positions, whole) });
      return;
    } catch (error) {
      if (isStoreUnreachable(error)) {
        throw new StoreUnreachableError(error);
      }
      if (!checkedReachable) {
        checkedReachable = true;
        if (!(await reachable())) {
          throw new StoreUnreachableError(error);
        }
      }
      if (positions.length === 0) {
        throw error;
      }
      if (positions.length === 1) {
        outcome.refused.push({
          position: positions[0]!,
          message: (error as Error)?.message ?? String(error),
        });
        return;
      }
    }
    const middle = Math.ceil(positions.length / 2);
    await attempt(positions.slice(0, middle), false);
    await attempt(positions.slice(middle), false);
  };
  await attempt(
    Array.from({ length: count }, (_, position) => position),
    true,
  );
  return outcome;
}

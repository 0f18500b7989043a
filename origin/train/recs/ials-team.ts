/**
 * iALS half-epochs shared across threads: the main thread and `threads − 1` worker_threads run the same
 * kernels (ials-kernels.ts) on their share of rows, over SharedArrayBuffers (the interaction matrix and its
 * transpose, both factor tables, the Gram blocks). The main thread blocks on Atomics.wait while workers
 * run, as training already holds it; the steps are
 *   gram(Y) → solve users → gram(X) → solve items,
 * and each one ends when every share is done. Row shares are balanced by stored entries; Gram blocks have
 * a fixed size and are summed in block order, so no result depends on the thread count or on timing.
 */
import { Worker } from "node:worker_threads";
import {
  type CsrView,
  GRAM_BLOCK_ROWS,
  gramBlock,
  newScratch,
  type SolveParams,
  solveRows,
  sumGramBlocks,
} from "./ials-kernels.ts";

export const TEAM_COMMANDS = { exit: 0, gramItems: 1, solveUsers: 2, gramUsers: 3, solveItems: 4 } as const;
/** Control words: the command, its generation, shares done, failures, workers ready. */
export const CONTROL = { command: 0, generation: 1, done: 2, failed: 3, ready: 4, length: 5 } as const;

/** Everything a share reads and writes; plain arrays with one thread, shared memory with several. */
export interface TeamState {
  users: CsrView;
  items: CsrView;
  rows: { users: number; items: number };
  x: Float64Array;
  y: Float64Array;
  /** One upper-triangular f × f block per GRAM_BLOCK_ROWS rows of the larger table. */
  gramParts: Float64Array;
  gram: Float64Array;
  params: SolveParams;
}

export function gramBlocks(rows: number): number {
  return Math.max(1, Math.ceil(rows / GRAM_BLOCK_ROWS));
}

/** Row boundaries giving each of `shares` about the same number of stored entries. */
export function balancedRanges(offsets: Int32Array, rows: number, shares: number): Int32Array {
  const bounds = new Int32Array(shares + 1);
  const total = offsets[rows]! + rows; // + rows: a row costs something even when empty (the Gram product)
  let row = 0;
  for (let s = 1; s < shares; s++) {
    const target = (total * s) / shares;
    while (row < rows && offsets[row]! + row < target) {
      row++;
    }
    bounds[s] = row;
  }
  bounds[shares] = rows;
  return bounds;
}

/** Share `share` of `shares` of one step. */
export function runShare(state: TeamState, command: number, share: number, shares: number): void {
  const f = state.params.f;
  const size = f * f;
  if (command === TEAM_COMMANDS.gramItems || command === TEAM_COMMANDS.gramUsers) {
    const table = command === TEAM_COMMANDS.gramItems ? state.y : state.x;
    const rows = command === TEAM_COMMANDS.gramItems ? state.rows.items : state.rows.users;
    const blocks = gramBlocks(rows);
    for (let k = share; k < blocks; k += shares) {
      const part = state.gramParts.subarray(k * size, (k + 1) * size);
      gramBlock(table, k * GRAM_BLOCK_ROWS, Math.min(rows, (k + 1) * GRAM_BLOCK_ROWS), f, part);
    }
    return;
  }
  const solvingUsers = command === TEAM_COMMANDS.solveUsers;
  const m = solvingUsers ? state.users : state.items;
  const rows = solvingUsers ? state.rows.users : state.rows.items;
  const bounds = balancedRanges(m.offsets, rows, shares);
  const [x, y] = solvingUsers ? [state.x, state.y] : [state.y, state.x];
  solveRows(x, y, m, bounds[share]!, bounds[share + 1]!, state.params, state.gram, newScratch(f));
}

/** Runs a whole half-epoch step's Gram reduction on the main thread, in block order. */
export function reduceGram(state: TeamState, command: number): void {
  const rows = command === TEAM_COMMANDS.gramItems ? state.rows.items : state.rows.users;
  sumGramBlocks(state.gramParts, gramBlocks(rows), state.params.f, state.gram);
}

function shared<T extends Int32Array | Float32Array | Float64Array>(source: T): T {
  const Ctor = source.constructor as new (buffer: SharedArrayBuffer) => T;
  const out = new Ctor(new SharedArrayBuffer(source.byteLength));
  out.set(source as never);
  return out;
}

const sharedCsr = (m: CsrView): CsrView => ({
  offsets: shared(m.offsets),
  indices: shared(m.indices),
  values: shared(m.values),
});

/** How long the main thread waits for the workers to start before it gives up (module load, spawn). */
const START_TIMEOUT_MS = 60_000;

export interface IalsTeam {
  state: TeamState;
  /** Runs one step on every share (the main thread takes share 0) and waits for all of them. */
  run(command: number): void;
  close(): void;
}

/** A team of `threads` (≥ 2) over shared copies of `state`. */
/** The worker's module beside this one: `.ts` in a clone, `.js` in the compiled package (dist/node). */
const WORKER_FILE = import.meta.url.endsWith(".js") ? "./ials-worker.js" : "./ials-worker.ts";

export function startIalsTeam(state: TeamState, threads: number): IalsTeam {
  const sharedState: TeamState = {
    ...state,
    users: sharedCsr(state.users),
    items: sharedCsr(state.items),
    x: shared(state.x),
    y: shared(state.y),
    gramParts: shared(state.gramParts),
    gram: shared(state.gram),
  };
  const control = new Int32Array(new SharedArrayBuffer(CONTROL.length * 4));
  const workers = Array.from(
    { length: threads - 1 },
    (_, w) =>
      new Worker(new URL(WORKER_FILE, import.meta.url), {
        workerData: { state: sharedState, control, share: w + 1, shares: threads },
      }),
  );
  const waitFor = (word: number, count: number, timeoutMs: number) => {
    const deadline = Date.now() + timeoutMs;
    for (let seen = Atomics.load(control, word); seen < count; seen = Atomics.load(control, word)) {
      if (Atomics.load(control, CONTROL.failed) > 0) {
        throw new Error("an iALS worker thread failed");
      }
      const left = deadline - Date.now();
      if (left <= 0) {
        throw new Error(`iALS worker threads did not answer within ${timeoutMs} ms`);
      }
      Atomics.wait(control, word, seen, Math.min(left, 1000));
    }
  };
  const close = () => {
    Atomics.store(control, CONTROL.command, TEAM_COMMANDS.exit);
    Atomics.add(control, CONTROL.generation, 1);
    Atomics.notify(control, CONTROL.generation);
    for (const worker of workers) {
      void worker.terminate();
    }
  };
  try {
    waitFor(CONTROL.ready, threads - 1, START_TIMEOUT_MS);
  } catch (error) {
    close();
    throw error;
  }
  return {
    state: sharedState,
    run(command) {
      Atomics.store(control, CONTROL.done, 0);
      Atomics.store(control, CONTROL.command, command);
      Atomics.add(control, CONTROL.generation, 1);
      Atomics.notify(control, CONTROL.generation);
      runShare(sharedState, command, 0, threads);
      // A step can take minutes at ten million events: the workers are alive while they count, so no
      // deadline here beyond a failure flag.
      waitFor(CONTROL.done, threads - 1, Number.POSITIVE_INFINITY);
    },
    close,
  };
}

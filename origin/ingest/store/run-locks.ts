/**
 * Locks that make the origin's long jobs one-at-a-time across processes and instances that share a
 * database: Postgres session-level advisory locks, held on a connection of their own for as long as the
 * job runs. A process that dies releases its locks with its connection, so a crash never leaves one
 * behind.
 *
 *   migrate  every `migrate()`: the others wait, then find nothing left to apply
 *   train    a training run: a second one started meanwhile is told the first is going (busy)
 *   learn    a learning run: likewise
 *   publish  a manifest write (a release, a policy update, a rollback): the others wait their turn, so
 *            no write builds on a manifest another is replacing
 *
 * PGlite serves one process (its directory is locked, pglite-lock.ts), so there the same names are held
 * in memory, with the same semantics within that process.
 *
 * Through a connection pooler in transaction mode (PgBouncer, Neon's `-pooler` host) a session lock
 * does not hold: point DATABASE_URL at the direct connection.
 */
export const RUN_LOCK_NAMES = ["migrate", "train", "learn", "publish"] as const;
export type RunLockName = (typeof RUN_LOCK_NAMES)[number];

/** The advisory lock key pair: one class for Edgewise ("EW" in hex), one object per name. */
export const ADVISORY_LOCK_CLASS = 0x4557;
export function advisoryLockObject(name: RunLockName): number {
  return RUN_LOCK_NAMES.indexOf(name) + 1;
}

export type LockOutcome<T> = { acquired: true; value: T } | { acquired: false };

export interface RunLocks {
  /**
   * Runs `work` holding the lock `name`. `wait` queues behind a holder (`onWait` is told once, when it
   * has to); `try` gives up at once when another holds it and answers `{ acquired: false }`.
   */
  hold<T>(
    name: RunLockName,
    mode: "wait" | "try",
    work: () => Promise<T>,
    onWait?: () => void,
  ): Promise<LockOutcome<T>>;
}

/** A run that did not start because another process or instance holds its lock. */
export class RunBusyError extends Error {
  readonly lock: RunLockName;
  constructor(lock: RunLockName, message: string) {
    super(message);
    this.name = "RunBusyError";
    this.lock = lock;
  }
}

/** Runs `work` holding `name`, after whoever holds it now. */
export async function inTurn<T>(
  locks: RunLocks,
  name: RunLockName,
  work: () => Promise<T>,
  onWait?: () => void,
): Promise<T> {
  const outcome = await locks.hold(name, "wait", work, onWait);
  if (!outcome.acquired) {
    throw new Error(`the ${name} lock was not acquired`);
  }
  return outcome.value;
}

/** A connection of its own for the time a lock is held. */
export interface LockConnection {
  query(text: string, params: readonly unknown[]): Promise<unknown[][]>;
  /** Back to the pool, or closed when `destroy` (a connection whose unlock failed keeps no lock). */
  release(destroy: boolean): void;
}

export function advisoryRunLocks(connect: () => Promise<LockConnection>): RunLocks {
  return {
    async hold(name, mode, work, onWait) {
      const key = [ADVISORY_LOCK_CLASS, advisoryLockObject(name)];
      const connection = await connect();
      let destroy = true;
      try {
        const [row] = await connection.query("SELECT pg_try_advisory_lock($1, $2)", key);
        if (row?.[0] !== true) {
          if (mode === "try") {
            destroy = false;
            return { acquired: false };
          }
          onWait?.();
          await connection.query("SELECT pg_advisory_lock($1, $2)", key);
        }
        try {
          return { acquired: true, value: await work() };
        } finally {
          // Closing the connection releases the lock too, should the unlock itself fail.
          destroy = !(await connection.query("SELECT pg_advisory_unlock($1, $2)", key).then(
            () => true,
            () => false,
          ));
        }
      } finally {
        connection.release(destroy);
      }
    },
  };
}

/** The same names held in this process only: for PGlite, which no other process can open. */
export function inProcessRunLocks(): RunLocks {
  const tails = new Map<RunLockName, Promise<void>>();
  return {
    async hold(name, mode, work, onWait) {
      const held = tails.get(name);
      if (held !== undefined && mode === "try") {
        return { acquired: false };
      }
      let release = () => {};
      const mine = new Promise<void>((resolve) => {
        release = resolve;
      });
      const tail = (held ?? Promise.resolve()).then(() => mine);
      tails.set(name, tail);
      if (held !== undefined) {
        onWait?.();
        await held;
      }
      try {
        return { acquired: true, value: await work() };
      } finally {
        release();
        if (tails.get(name) === tail) {
          tails.delete(name);
        }
      }
    },
  };
}

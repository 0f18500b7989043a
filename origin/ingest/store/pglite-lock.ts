/**
 * A lock file beside a PGlite directory (`<dir>.lock`). PGlite is a database inside one process: a second
 * process opening the same directory (`edgewise publish` beside a running `edgewise start`) reads pages
 * the first has not flushed and can corrupt what both write. The file names the process holding the
 * directory; a lock whose process no longer runs (a crash, a kill -9) is taken over.
 *
 * Two processes taking over the same stale lock at the same instant could both succeed: the window is
 * the few microseconds between unlink and create, after a crash, and is accepted.
 */
import { unlinkSync } from "node:fs";
import { readFile, unlink, writeFile } from "node:fs/promises";
import { basename, relative, resolve } from "node:path";

/** Another live process holds the directory; the message says which and what to do. */
export class PgliteLockedError extends Error {
  override name = "PgliteLockedError";
}

export interface PgliteLock {
  readonly path: string;
  release(): Promise<void>;
}

interface LockOwner {
  pid: number;
  holder: string;
  since: string;
}

/** Locks this process holds, with how many opens share each (one process may open a directory twice). */
const held = new Map<string, number>();
let exitHookInstalled = false;

function releaseAllOnExit() {
  for (const path of held.keys()) {
    try {
      unlinkSync(path);
    } catch {
      // Already gone: nothing to release.
    }
  }
}

/** What this process is, for the message another process prints: `edgewise start`, `vitest`, … */
export function describeThisProcess(argv: readonly string[] = process.argv): string {
  const script = argv[1] === undefined ? "node" : basename(argv[1]);
  return /^edgewise(\.m?js)?$/.test(script) ? `edgewise ${argv[2] ?? ""}`.trim() : script;
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to another user.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

async function readOwner(path: string): Promise<LockOwner | null> {
  try {
    const owner = JSON.parse(await readFile(path, "utf8")) as Partial<LockOwner>;
    return Number.isSafeInteger(owner.pid) && (owner.pid as number) > 0 ? (owner as LockOwner) : null;
  } catch {
    return null;
  }
}

function shown(dir: string): string {
  const fromHere = relative(process.cwd(), dir);
  return fromHere !== "" && !fromHere.startsWith("..") ? fromHere : dir;
}

/** Takes the lock on `dataDir` for this process, or throws PgliteLockedError naming the live holder. */
export async function lockPgliteDir(dataDir: string, holder = describeThisProcess()): Promise<PgliteLock> {
  const dir = resolve(dataDir);
  const path = `${dir}.lock`;
  const lock: PgliteLock = {
    path,
    async release() {
      const count = (held.get(path) ?? 1) - 1;
      if (count > 0) {
        held.set(path, count);
        return;
      }
      held.delete(path);
      if ((await readOwner(path))?.pid === process.pid) {
        await unlink(path).catch(() => {});
      }
    },
  };
  const count = held.get(path);
  if (count !== undefined) {
    held.set(path, count + 1);
    return lock;
  }
  const mine: LockOwner = { pid: process.pid, holder, since: new Date().toISOString() };
  for (let attempt = 0; attempt < 3; attempt += 1) {
    try {
      await writeFile(path, `${JSON.stringify(mine)}\n`, { flag: "wx" });
      if (!exitHookInstalled) {
        // A process that exits without closing its database (process.exit) leaves no lock behind.
        process.once("exit", releaseAllOnExit);
        exitHookInstalled = true;
      }
      held.set(path, 1);
      return lock;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== "EEXIST") {
        throw error;
      }
    }
    const owner = await readOwner(path);
    // Our own pid in a lock this process never took: a crashed process's pid, reused.
    if (owner !== null && owner.pid !== process.pid && isRunning(owner.pid)) {
      throw new PgliteLockedError(
        `\`${owner.holder}\` (pid ${owner.pid}) holds the PGlite database in ${shown(dir)}, and PGlite ` +
          "serves one process only: stop it, or point DATABASE_URL at a Postgres both can share " +
          `(lock file ${shown(path)})`,
      );
    }
    // Stale: its process is gone or the file is unreadable. Take it over.
    await unlink(path).catch(() => {});
  }
  throw new PgliteLockedError(`could not take the lock ${shown(path)}: other processes keep taking it`);
}

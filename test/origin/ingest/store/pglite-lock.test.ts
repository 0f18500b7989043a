/**
 * The PGlite directory lock between real processes: a child process holds the database while this one
 * (and the CLI) try to open it, then exits cleanly or is killed as a crash would kill it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openPgliteDatabase } from "../../../../origin/ingest/store/pglite.ts";
import { PgliteLockedError } from "../../../../origin/ingest/store/pglite-lock.ts";
import { runCli } from "../../support/run-cli.ts";

const holderScript = join(import.meta.dirname, "support", "hold-pglite.ts");

let root: string;
let dataDir: string;
let children: ChildProcess[] = [];
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "edgewise-lock-"));
  dataDir = join(root, "pglite");
});
afterEach(async () => {
  for (const child of children) {
    child.kill("SIGKILL");
  }
  children = [];
  await rm(root, { recursive: true, force: true });
});

/** A child process holding `dataDir` open, once it says so. */
async function holdInChild(): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", holderScript, dataDir], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("open")) {
        resolve();
      }
    });
    child.once("exit", (code) => reject(new Error(`the holder exited with ${code} before opening`)));
  });
  return child;
}

const exited = (child: ChildProcess) =>
  new Promise<void>((resolve) => (child.exitCode !== null ? resolve() : child.once("exit", () => resolve())));

// Child processes that open PGlite and the CLI: past a minute on a loaded machine.
describe("the PGlite directory lock", { timeout: 240_000 }, () => {
  it("refuses to open a PGlite directory another process holds, with what to do", async () => {
    const holder = await holdInChild();

    const attempt = openPgliteDatabase({ dataDir });
    await expect(attempt).rejects.toBeInstanceOf(PgliteLockedError);
    const message = await attempt.catch((error: Error) => error.message);
    expect(message).toContain(`(pid ${holder.pid})`);
    expect(message).toContain("stop it, or point DATABASE_URL at a Postgres both can share");

    const cli = await runCli(["migrate"], { EVENT_STORE: "pglite", PGLITE_DIR: dataDir });
    expect(cli.code).toBe(1);
    expect(cli.stderr.trimEnd().split("\n")).toEqual([
      expect.stringMatching(
        new RegExp(`^edgewise migrate: .*\\(pid ${holder.pid}\\) holds the PGlite database`),
      ),
    ]);

    // Closed and gone: the directory is free again, and its data intact.
    holder.kill("SIGTERM");
    await exited(holder);
    const database = await openPgliteDatabase({ dataDir });
    try {
      expect(await database.sql.query("SELECT 1 + 1")).toEqual([[2]]);
    } finally {
      await database.sql.close();
    }
  });

  it("takes over a stale PGlite lock", async () => {
    const holder = await holdInChild();
    holder.kill("SIGKILL");
    await exited(holder);
    const stale = JSON.parse(await readFile(`${dataDir}.lock`, "utf8")) as { pid: number };
    expect(stale.pid).toBe(holder.pid);

    const database = await openPgliteDatabase({ dataDir });
    try {
      expect(await database.sql.query("SELECT 1 + 1")).toEqual([[2]]);
      const taken = JSON.parse(await readFile(`${dataDir}.lock`, "utf8")) as { pid: number };
      expect(taken.pid).toBe(process.pid);
    } finally {
      await database.sql.close();
    }
    await expect(readFile(`${dataDir}.lock`, "utf8")).rejects.toMatchObject({ code: "ENOENT" });

    // A lock file no process could have written (truncated by a full disk) is stale too.
    await writeFile(`${dataDir}.lock`, '{"pi');
    const again = await openPgliteDatabase({ dataDir });
    await again.sql.close();
  });
});

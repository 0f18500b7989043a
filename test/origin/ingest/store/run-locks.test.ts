/**
 * Issue 14's locks: migrations under a Postgres advisory lock (two processes → one applies, the other waits
 * and finds nothing to do), and one training run at a time across processes and instances (the second
 * reports busy). PGlite serves one process; there the same locks hold within it.
 */
import { spawn } from "node:child_process";
import { join } from "node:path";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestRecord } from "../../../../models/contracts/index.ts";
import { generateTasteClusterData } from "../../../../origin/dev/sample-data/index.ts";
import {
  ADVISORY_LOCK_CLASS,
  advisoryLockObject,
  createSqlEventStore,
  openPgliteDatabase,
  openPostgresDatabase,
  type RunLockName,
  type SqlDatabase,
} from "../../../../origin/ingest/store/index.ts";
import { createModelRegistry } from "../../../../origin/release/index.ts";
import { runTrainingCycle, type TrainingCycleResult } from "../../../../origin/train/index.ts";
import { createTestDatabase, postgresUnavailableReason, type TestDatabase } from "../../support/postgres.ts";

const BIN = join(import.meta.dirname, "..", "..", "..", "..", "bin", "edgewise.mjs");

/** `edgewise ARGS` as a child process, its output read as it comes. */
function edgewise(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [BIN, ...args], {
    env: { PATH: process.env.PATH ?? "", LEARN_INTERVAL_SECONDS: "0", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
  let output = "";
  child.stdout.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr.on("data", (chunk: Buffer) => {
    output += chunk.toString();
  });
  const done = new Promise<{ code: number | null; output: string }>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, output }));
  });
  return { done, output: () => output };
}

async function until(condition: () => boolean | Promise<boolean>, what: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  while (!(await condition())) {
    if (Date.now() > deadline) {
      throw new Error(`timed out waiting for ${what}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Holds one of the run locks from a connection of the test's own, as another instance would. */
async function holdLock(url: string, name: RunLockName) {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  await client.query("SELECT pg_advisory_lock($1, $2)", [ADVISORY_LOCK_CLASS, advisoryLockObject(name)]);
  return {
    /** Sessions queued behind this lock. */
    async waiters(): Promise<number> {
      const { rows } = await client.query(
        "SELECT count(*)::int AS n FROM pg_locks WHERE locktype = 'advisory' AND classid = $1 AND objid = $2 AND NOT granted",
        [ADVISORY_LOCK_CLASS, advisoryLockObject(name)],
      );
      return rows[0].n as number;
    },
    release: () => client.end(),
  };
}

async function loadShop(database: SqlDatabase): Promise<void> {
  const data = generateTasteClusterData({ endMs: Date.UTC(2026, 10, 20), users: 80, items: 50, seed: 4 });
  await createSqlEventStore(database).insertBatch(data.records.map((record) => IngestRecord.parse(record)));
}

/**
 * Two training runs on two databases handles (two instances, or one): the second starts once the first
 * holds its lock and is training, which the first's progress callback says.
 */
async function trainTwiceAtOnce(first: SqlDatabase, second: SqlDatabase) {
  let secondRun: Promise<TrainingCycleResult> | null = null;
  const cycle = (database: SqlDatabase, onProgress?: () => void) =>
    runTrainingCycle(
      { eventStore: createSqlEventStore(database), registry: createModelRegistry(database.db) },
      {
        trigger: "manual",
        publish: false,
        tolerance: 0.02,
        now: () => new Date(Date.UTC(2026, 10, 20, 1)),
        ...(onProgress ? { pipeline: { onProgress } } : {}),
      },
    );
  const firstResult = await cycle(first, () => {
    secondRun ??= cycle(second);
  });
  return { first: firstResult, second: await secondRun! };
}

const skip = await postgresUnavailableReason();
if (skip) {
  console.warn(`skipping the Postgres run-lock tests: ${skip}`);
}

describe.skipIf(skip !== null)("run locks on Postgres", () => {
  let database: TestDatabase;
  beforeAll(async () => {
    database = await createTestDatabase("run_locks");
  });
  afterAll(async () => {
    await database?.drop();
  });

  it("two processes migrating at once: one applies, the other waits and finds nothing to do", async () => {
    // Hold the lock until both processes queue behind it, so that they really do start together.
    const held = await holdLock(database.url, "migrate");
    const env = { DATABASE_URL: database.url, EVENT_STORE: "postgres" };
    const a = edgewise(["migrate"], env);
    const b = edgewise(["migrate"], env);
    try {
      await until(async () => (await held.waiters()) === 2, "both processes to wait for the lock");
      expect(a.output()).toContain("another process is applying migrations: waiting");
      expect(b.output()).toContain("another process is applying migrations: waiting");
    } finally {
      await held.release();
    }
    const results = await Promise.all([a.done, b.done]);
    expect(results.map((r) => r.code)).toEqual([0, 0]);
    const applied = results.filter((r) => /applied (\d+) of \1 migrations/.test(r.output));
    const nothing = results.filter((r) => /nothing to apply, \d+ migrations already applied/.test(r.output));
    expect(applied).toHaveLength(1);
    expect(nothing).toHaveLength(1);
    expect(nothing[0]?.output).toContain("(after waiting for another process)");
  });

  it("two training runs started together on two instances: one runs, the other reports busy", async () => {
    const one = await openPostgresDatabase({ connectionString: database.url });
    const two = await openPostgresDatabase({ connectionString: database.url });
    try {
      await one.migrate();
      await loadShop(one);
      const { first, second } = await trainTwiceAtOnce(one, two);
      expect(first.outcome).toBe("trained");
      expect(second).toMatchObject({ outcome: "busy", runId: null });
      expect(second.message).toMatch(/another training run is going/);
      const runs = await createModelRegistry(one.db).listRuns();
      expect(runs.map((run) => run.id)).toEqual([first.runId]);
    } finally {
      await one.sql.close();
      await two.sql.close();
    }
  });

  it("edgewise train exits 4 and says so while another instance trains", async () => {
    const held = await holdLock(database.url, "train");
    try {
      const { code, output } = await edgewise(["train", "--no-progress"], {
        DATABASE_URL: database.url,
        IMAGE_FEATURES: "false",
      }).done;
      expect(output).toMatch(/run not started: busy/);
      expect(output).toMatch(/another training run is going on this database/);
      expect(code).toBe(4);
    } finally {
      await held.release();
    }
  });

  it("a publish waits for the one in progress instead of failing", async () => {
    const one = await openPostgresDatabase({ connectionString: database.url });
    const two = await openPostgresDatabase({ connectionString: database.url });
    try {
      const order: string[] = [];
      let release = () => {};
      const first = one.sql.locks.hold("publish", "wait", async () => {
        order.push("first starts");
        await new Promise<void>((resolve) => {
          release = resolve;
        });
        order.push("first ends");
      });
      await until(() => order.length === 1, "the first publish to hold the lock");
      let waited = false;
      const second = two.sql.locks.hold(
        "publish",
        "wait",
        async () => {
          order.push("second runs");
        },
        () => {
          waited = true;
        },
      );
      await until(() => waited, "the second publish to queue");
      release();
      await Promise.all([first, second]);
      expect(order).toEqual(["first starts", "first ends", "second runs"]);
    } finally {
      await one.sql.close();
      await two.sql.close();
    }
  });
});

describe("run locks on PGlite (one process owns the directory)", () => {
  it("two training runs started together in the process: one runs, the other reports busy", async () => {
    const database = await openPgliteDatabase();
    try {
      await database.migrate();
      await loadShop(database);
      const { first, second } = await trainTwiceAtOnce(database, database);
      expect(first.outcome).toBe("trained");
      expect(second.outcome).toBe("busy");
    } finally {
      await database.sql.close();
    }
  });

  it("a second migration in the process waits and finds nothing to do", async () => {
    const database = await openPgliteDatabase();
    try {
      const [a, b] = await Promise.all([database.migrate(), database.migrate()]);
      expect(a.applied).toBeGreaterThan(0);
      expect(b).toMatchObject({ applied: 0, total: a.total, waited: true });
    } finally {
      await database.sql.close();
    }
  });
});

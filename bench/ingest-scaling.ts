/**
 * How `POST /v1/events/batch` throughput grows with origin instances over one Postgres: 1, 2 and 4
 * `edgewise serve` processes (each its own Node process and connection pool, MIGRATE_ON_START=false, the
 * learning loop off) on the real Postgres at 127.0.0.1:5432, a fresh database per measurement, fed by a
 * closed-loop load generator in this process (postAll below): CLIENTS keep-alive clients, each
 * posting its next batch of BATCH new view events (JSON arrays) when the previous one is answered, spread
 * round-robin over the instances. Every run checks that the database holds exactly the events sent.
 * The order of instance counts is interleaved across RUNS rounds; figures are medians.
 *
 *   npx tsx bench/ingest-scaling.ts [--instances 1,2,4] [--runs 3] [--batches 300] [--batch 500]
 *                                   [--clients 8] [--database-url postgres://…/test]
 *
 * On a 2-core machine the load generator, every instance and Postgres share the same two cores: the
 * ceiling is the machine, not the design. docs/ingestion-at-scale.md reads the figures.
 */
import { type ChildProcess, spawn } from "node:child_process";
import http from "node:http";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { send } from "./lib/http-load.ts";
import { median } from "./lib/stats.ts";

const { values } = parseArgs({
  options: {
    instances: { type: "string" },
    runs: { type: "string" },
    batches: { type: "string" },
    batch: { type: "string" },
    clients: { type: "string" },
    "database-url": { type: "string" },
  },
});
const INSTANCES = (values.instances ?? "1,2,4").split(",").map(Number);
const RUNS = Number(values.runs ?? 3);
const BATCHES = Number(values.batches ?? 300);
const BATCH = Number(values.batch ?? 500);
const CLIENTS = Number(values.clients ?? 8);
const adminUrl =
  values["database-url"] ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const bin = path.join(import.meta.dirname, "..", "bin", "edgewise.mjs");
const API_KEY = "bench-scaling-key-0123456789";

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect().catch((error: Error) => {
  console.error(`ingest-scaling: no Postgres at ${adminUrl} (${error.message}); pass --database-url`);
  process.exit(1);
});

function edgewise(args: string[], env: Record<string, string>): ChildProcess {
  return spawn(process.execPath, [bin, ...args], {
    env: { PATH: process.env.PATH ?? "", ...env },
    stdio: ["ignore", "pipe", "pipe"],
  });
}

async function exited(child: ChildProcess): Promise<number | null> {
  return child.exitCode !== null ? child.exitCode : new Promise((resolve) => child.once("exit", resolve));
}

/** Starts `edgewise serve` on a free port and resolves with its URL once it listens. */
function serve(databaseUrl: string): Promise<{ url: URL; child: ChildProcess }> {
  const child = edgewise(["serve", "--port", "0"], {
    DATABASE_URL: databaseUrl,
    INGEST_API_KEY: API_KEY,
    MIGRATE_ON_START: "false",
    LEARN_INTERVAL_SECONDS: "0",
    DB_POOL_MAX: "4",
  });
  return new Promise((resolve, reject) => {
    let output = "";
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /(http:\/\/127\.0\.0\.1:\d+)/.exec(output);
      if (match) {
        child.stdout!.off("data", onData);
        child.stdout!.resume();
        child.stderr!.resume();
        resolve({ url: new URL(match[1]!), child });
      }
    };
    child.stdout!.on("data", onData);
    child.stderr!.on("data", (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.once("exit", (code) => reject(new Error(`edgewise serve exited ${code}: ${output}`)));
  });
}

/** BATCHES JSON bodies of BATCH new view events each; ids unique to this round. */
function bodies(round: string): string[] {
  const out: string[] = [];
  for (let b = 0; b < BATCHES; b++) {
    const events = [];
    for (let e = 0; e < BATCH; e++) {
      const n = b * BATCH + e;
      events.push({
        event_id: `${round}-${n}`,
        type: "view",
        user_id: `u${(n * 7919) % 50_000}`,
        item_id: `i${(n * 104_729) % 20_000}`,
        ts: 1_700_000_000_000 + n,
        source: "bench",
      });
    }
    out.push(JSON.stringify(events));
  }
  return out;
}

let retried = 0;

/**
 * CLIENTS closed-loop clients post every body once, round-robin over the targets. A batch whose
 * connection breaks (a keep-alive socket the server closed as it was reused) is sent again: batches are
 * idempotent by event_id, so the retry stores nothing twice, and the count check below proves it.
 */
async function postAll(targets: URL[], all: string[]): Promise<{ elapsedMs: number }> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: CLIENTS });
  const headers = { authorization: `Bearer ${API_KEY}` };
  let next = 0;
  const started = performance.now();
  const client = async () => {
    while (next < all.length) {
      const index = next++;
      for (let attempt = 1; ; attempt++) {
        const answer = await send(agent, targets[index % targets.length]!, headers, all[index]).catch(
          (error: Error) => ({ status: 0, error }),
        );
        if (answer.status === 200) {
          break;
        }
        if (attempt === 3) {
          throw new Error(
            `batch ${index} failed: ${"error" in answer ? answer.error.message : answer.status}`,
          );
        }
        retried++;
      }
    }
  };
  await Promise.all(Array.from({ length: CLIENTS }, client));
  agent.destroy();
  return { elapsedMs: performance.now() - started };
}

async function measure(instances: number, round: string): Promise<number> {
  const name = `edgewise_scaling_${process.pid}_${round.replaceAll("-", "_")}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  const servers: Array<{ url: URL; child: ChildProcess }> = [];
  try {
    const migrate = edgewise(["migrate"], { DATABASE_URL: url.toString() });
    if ((await exited(migrate)) !== 0) {
      throw new Error("edgewise migrate failed");
    }
    for (let i = 0; i < instances; i++) {
      servers.push(await serve(url.toString()));
    }
    const load = await postAll(
      servers.map((server) => new URL("/v1/events/batch", server.url)),
      bodies(round),
    );
    const client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    const stored = Number((await client.query("SELECT count(*) FROM events")).rows[0].count);
    await client.end();
    if (stored !== BATCHES * BATCH) {
      throw new Error(`stored ${stored} events, sent ${BATCHES * BATCH}`);
    }
    return (BATCHES * BATCH * 1000) / load.elapsedMs;
  } finally {
    for (const server of servers) {
      server.child.kill("SIGTERM");
      await exited(server.child);
    }
    await admin.query(`DROP DATABASE ${name} WITH (FORCE)`);
  }
}

const samples = new Map<number, number[]>(INSTANCES.map((n) => [n, []]));
for (let run = 0; run < RUNS; run++) {
  for (const n of INSTANCES) {
    const perSecond = await measure(n, `r${run}-n${n}`);
    samples.get(n)!.push(perSecond);
    console.log(`run ${run + 1}: ${n} instance(s) ${Math.round(perSecond)} events/s`);
  }
}
await admin.end();

const base = median(samples.get(INSTANCES[0]!)!);
console.log(
  `\n${BATCHES} batches × ${BATCH} events, ${CLIENTS} clients, fresh database per measurement, median of ${RUNS}\n`,
);
console.log(`batches sent again after a broken connection: ${retried}\n`);
console.log(`| instances | events/s | runs | vs ${INSTANCES[0]} |\n|---|---|---|---|`);
for (const n of INSTANCES) {
  const m = median(samples.get(n)!);
  console.log(
    `| ${n} | ${Math.round(m)} | ${samples.get(n)!.map(Math.round).join(", ")} | ${(m / base).toFixed(2)}× |`,
  );
}

/**
 * Ingestion throughput: the 100,004 MovieLens ratings (../shared/data/movielens-small/ratings.csv) written
 * through the event store in 10,000-record transactions, into PGlite (persisted to a directory), Postgres
 * with batched multi-row INSERT and with COPY, and the Neon serverless driver (through the local WebSocket
 * relay to the same Postgres); plus the HTTP API end to end. Each figure is the median of RUNS runs, each
 * on a fresh database; every run checks that exactly 100,004 events were stored.
 *
 *   npm run bench:ingest [-- --data DIR] [-- --runs N]
 *
 * Targets (2-core machine): ≥ 50,000 events/s into Postgres, ≥ 10,000 events/s into PGlite.
 */
import { createReadStream, existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import pg from "pg";
import { IngestRecord } from "../models/contracts/index.ts";
import { readRecords } from "../origin/ingest/index.ts";
import { createPostgresJsonbRawPayloadStore } from "../origin/ingest/raw/index.ts";
import {
  type BulkMode,
  createSqlEventStore,
  type EventStore,
  openNeonDatabase,
  openPgliteDatabase,
  openPostgresDatabase,
  type SqlDatabase,
  startNeonLocalRelay,
} from "../origin/ingest/store/index.ts";
import { createOriginApp, listen } from "../origin/server/index.ts";
import { reportMetric } from "./lib/metric.ts";
import { median } from "./lib/stats.ts";

const { values } = parseArgs({
  options: { data: { type: "string" }, runs: { type: "string" }, "database-url": { type: "string" } },
});
const dataDir = path.resolve(values.data ?? path.join(import.meta.dirname, "..", "..", "shared", "data"));
const ratingsPath = path.join(dataDir, "movielens-small", "ratings.csv");
const runs = Number(values.runs ?? 3);
const adminUrl =
  values["database-url"] ?? process.env.TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
const BATCH = 10_000;
// Dropping each run's database ends connections the pool has just released: expected, not worth a line.
const quiet = () => {};

if (!existsSync(ratingsPath)) {
  console.error(
    `bench:ingest: MovieLens ratings not found at ${ratingsPath}; pass --data DIR (the folder with movielens-small/)`,
  );
  process.exit(1);
}

// Parse and validate once, timed on its own: the runs below measure the store.
const started = performance.now();
const records: IngestRecord[] = [];
for await (const item of readRecords(createReadStream(ratingsPath), "movielens-csv")) {
  if (!item.ok) {
    throw new Error(item.error);
  }
  records.push(IngestRecord.parse(item.value));
}
const parseSeconds = (performance.now() - started) / 1000;
console.log(
  `read and validated ${records.length} ratings in ${parseSeconds.toFixed(2)} s (${Math.round(records.length / parseSeconds)} records/s)\n`,
);

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect().catch((error: Error) => {
  console.error(`bench:ingest: no Postgres at ${adminUrl} (${error.message}); pass --database-url`);
  process.exit(1);
});

async function freshPostgres(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `edgewise_bench_${process.pid}_${Math.floor(Math.random() * 1e9)}`;
  await admin.query(`CREATE DATABASE ${name}`);
  const url = new URL(adminUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => void (await admin.query(`DROP DATABASE ${name} WITH (FORCE)`)),
  };
}

async function insertAll(store: EventStore): Promise<number> {
  const start = performance.now();
  for (let i = 0; i < records.length; i += BATCH) {
    await store.insertBatch(records.slice(i, i + BATCH));
  }
  const seconds = (performance.now() - start) / 1000;
  const count = await store.countEvents();
  if (count !== records.length) {
    throw new Error(`stored ${count} events, expected ${records.length}`);
  }
  return records.length / seconds;
}

interface Target {
  name: string;
  /** Opens a fresh, migrated database; returns it and its cleanup. */
  open(): Promise<{ database: SqlDatabase; cleanup(): Promise<void> }>;
  bulkMode: BulkMode;
  targetPerSecond: number;
}

const relay = await startNeonLocalRelay();
const targets: Target[] = [
  {
    name: "PGlite (persisted directory), COPY",
    bulkMode: "copy",
    targetPerSecond: 10_000,
    async open() {
      const dir = await mkdtemp(path.join(tmpdir(), "edgewise-bench-"));
      const database = await openPgliteDatabase({ dataDir: path.join(dir, "db") });
      return { database, cleanup: () => rm(dir, { recursive: true, force: true }) };
    },
  },
  ...(["insert", "copy"] as const).map(
    (bulkMode): Target => ({
      name: `Postgres (node-postgres), ${bulkMode === "copy" ? "COPY" : "batched INSERT"}`,
      bulkMode,
      targetPerSecond: 50_000,
      async open() {
        const db = await freshPostgres();
        const database = await openPostgresDatabase({ connectionString: db.url, onIdleError: quiet });
        return { database, cleanup: db.drop };
      },
    }),
  ),
  {
    name: "Neon serverless driver (WebSocket relay), COPY",
    bulkMode: "copy",
    targetPerSecond: 50_000,
    async open() {
      const db = await freshPostgres();
      const database = await openNeonDatabase({
        connectionString: db.url,
        wsProxy: relay.wsProxy,
        onIdleError: quiet,
      });
      return { database, cleanup: db.drop };
    },
  },
];

const results: { name: string; eventsPerSecond: number; runs: number[]; targetPerSecond?: number }[] = [];
for (const target of targets) {
  const samples: number[] = [];
  for (let run = 0; run < runs; run++) {
    const { database, cleanup } = await target.open();
    await database.migrate();
    const store = createSqlEventStore(database, target.bulkMode);
    try {
      samples.push(await insertAll(store));
    } finally {
      await store.close();
      await cleanup();
    }
  }
  results.push({
    name: target.name,
    eventsPerSecond: median(samples),
    runs: samples,
    targetPerSecond: target.targetPerSecond,
  });
  console.log(
    `${target.name}: ${Math.round(median(samples))} events/s (runs: ${samples.map(Math.round).join(", ")})`,
  );
}

// End to end: NDJSON batches over HTTP into Postgres (COPY), raw payloads kept in its JSONB table.
{
  const samples: number[] = [];
  const bodies: string[] = [];
  for (let i = 0; i < records.length; i += BATCH) {
    bodies.push(
      records
        .slice(i, i + BATCH)
        .map((r) => JSON.stringify(r))
        .join("\n"),
    );
  }
  const apiKey = "bench-ingest-key-0123456789";
  for (let run = 0; run < runs; run++) {
    const db = await freshPostgres();
    const database = await openPostgresDatabase({ connectionString: db.url, onIdleError: quiet });
    await database.migrate();
    const eventStore = createSqlEventStore(database);
    const app = createOriginApp({
      eventStore,
      rawStore: createPostgresJsonbRawPayloadStore(database.sql),
      ingest: { apiKey, maxBodyBytes: 8 << 20, maxDecompressedBytes: 32 << 20, maxEventsPerBatch: BATCH },
    });
    const server = await listen(app, { port: 0, host: "127.0.0.1" });
    try {
      const start = performance.now();
      for (const body of bodies) {
        const response = await fetch(`${server.url}/v1/events/batch`, {
          method: "POST",
          headers: { "content-type": "application/x-ndjson", authorization: `Bearer ${apiKey}` },
          body,
        });
        if (response.status !== 200) {
          throw new Error(`HTTP ${response.status}: ${await response.text()}`);
        }
      }
      samples.push(records.length / ((performance.now() - start) / 1000));
      if ((await eventStore.countEvents()) !== records.length) {
        throw new Error("the HTTP run did not store every event");
      }
    } finally {
      await server.close();
      await eventStore.close();
      await db.drop();
    }
  }
  const name = "HTTP API → Postgres COPY (NDJSON, validation, raw payloads in JSONB)";
  results.push({ name, eventsPerSecond: median(samples), runs: samples });
  console.log(
    `${name}: ${Math.round(median(samples))} events/s (runs: ${samples.map(Math.round).join(", ")})`,
  );
}

await relay.close();
await admin.end();

console.log(
  `\n| ingest of ${records.length} MovieLens ratings, ${BATCH}-record batches, median of ${runs} | events/s | target |`,
);
console.log("|---|---:|---|");
for (const r of results) {
  const verdict =
    r.targetPerSecond === undefined
      ? "—"
      : `≥ ${r.targetPerSecond.toLocaleString("en")}: ${r.eventsPerSecond >= r.targetPerSecond ? "met" : "NOT MET"}`;
  console.log(`| ${r.name} | ${Math.round(r.eventsPerSecond).toLocaleString("en")} | ${verdict} |`);
}
for (const r of results) {
  reportMetric(
    `ingest.${r.name
      .replace(/\(.*?\)/g, "")
      .replace(/[^a-z0-9]+/gi, "_")
      .replace(/^_|_$/g, "")}`,
    r.eventsPerSecond,
    "events/s",
    "higher",
  );
}

const resultsDir = path.join(import.meta.dirname, "results");
await mkdir(resultsDir, { recursive: true });
await writeFile(
  path.join(resultsDir, "ingest.json"),
  `${JSON.stringify({ measuredAt: new Date().toISOString(), records: records.length, batch: BATCH, parseSeconds, results }, null, 2)}\n`,
);

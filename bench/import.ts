/**
 * Import throughput: the same generated interactions (ROWS rows, default 1,000,000: 50,000 users, 20,000
 * items drawn with power-law popularity, ISO-8601 times) written into a temp directory as a column-mapped
 * CSV, a Parquet file (TIMESTAMP column, 100,000-row groups) and Segment JSON lines ("Product Viewed"),
 * then imported through `edgewise import`'s code path (ingestFile: stream, map, validate by the contract,
 * 5,000-record transactions) into a fresh PGlite store, the default, persisted in the temp directory. The
 * baseline, interleaved in every run, is the same rows as Edgewise's own NDJSON records (`edgewise
 * ingest`). Each figure is the median of RUNS runs; every run checks that exactly ROWS events were stored.
 *
 *   npm run bench:import [-- --rows N] [-- --runs N] [-- --batch-size N]
 *
 * Writes bench/results/import.json: {"csv_rows_per_s", "parquet_rows_per_s", "segment_rows_per_s"}.
 * Target (2-core machine): ≥ 30,000 rows/s for CSV.
 */
import { createWriteStream } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os, { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { parquetWriteFile } from "hyparquet-writer";
import { mulberry32 } from "../models/random.ts";
import {
  type ColumnMapping,
  createPostgresJsonbRawPayloadStore,
  createSqlEventStore,
  type FileFormat,
  ingestFile,
  openPgliteDatabase,
  rowEventId,
} from "../origin/ingest/index.ts";
import { reportMetric } from "./lib/metric.ts";
import { median } from "./lib/stats.ts";

const { values } = parseArgs({
  options: { rows: { type: "string" }, runs: { type: "string" }, "batch-size": { type: "string" } },
});
const ROWS = Number(values.rows ?? 1_000_000);
const RUNS = Number(values.runs ?? 3);
const BATCH = Number(values["batch-size"] ?? 5000);
const USERS = 50_000;
const ITEMS = 20_000;
const TARGET_CSV = 30_000;

const MAPPING: ColumnMapping = {
  userCol: "user_id",
  itemCol: "product_id",
  timeCol: "timestamp",
  valueKind: "none",
  time: { format: "auto" },
};

/** Writes lines to a file through a stream, waiting when its buffer is full. */
async function writeLines(file: string, lines: Iterable<string>): Promise<void> {
  const out = createWriteStream(file, { highWaterMark: 1 << 20 });
  for (const line of lines) {
    if (!out.write(`${line}\n`)) {
      await new Promise((resolve) => out.once("drain", resolve));
    }
  }
  await new Promise((resolve, reject) =>
    out.end((error?: Error | null) => (error ? reject(error) : resolve(null))),
  );
}

async function generate(dir: string) {
  const rng = mulberry32(15);
  const users: string[] = new Array(ROWS);
  const items: string[] = new Array(ROWS);
  const times = new Float64Array(ROWS);
  const start = Date.UTC(2024, 0, 1);
  for (let r = 0; r < ROWS; r++) {
    users[r] = `u${Math.floor(rng() * USERS)}`;
    // power-law popularity: low item numbers are drawn far more often
    items[r] = `p${Math.floor(ITEMS * rng() ** 3)}`;
    times[r] = start + r * 30_000;
  }
  const iso = (r: number) => new Date(times[r]!).toISOString();
  const rows = function* <T>(line: (r: number) => T) {
    for (let r = 0; r < ROWS; r++) {
      yield line(r);
    }
  };
  const files = {
    ndjson: path.join(dir, "events.ndjson"),
    csv: path.join(dir, "events.csv"),
    parquet: path.join(dir, "events.parquet"),
    segment: path.join(dir, "events.segment.jsonl"),
  };
  await writeLines(files.csv, [
    "user_id,product_id,timestamp",
    ...rows((r) => `${users[r]},${items[r]},${iso(r)}`),
  ]);
  parquetWriteFile({
    filename: files.parquet,
    columnData: [
      { name: "user_id", data: users, type: "STRING" },
      { name: "product_id", data: items, type: "STRING" },
      { name: "timestamp", data: Array.from(times, (ms) => new Date(ms)), type: "TIMESTAMP" },
    ],
    rowGroupSize: 100_000,
  });
  await writeLines(
    files.segment,
    rows((r) =>
      JSON.stringify({
        type: "track",
        event: "Product Viewed",
        messageId: `m-${r}`,
        userId: users[r],
        timestamp: iso(r),
        properties: { product_id: items[r] },
      }),
    ),
  );
  await writeLines(
    files.ndjson,
    rows((r) =>
      JSON.stringify({
        event_id: rowEventId("row", ["view", users[r]!, items[r]!, times[r]!, ""]),
        type: "view",
        user_id: users[r],
        item_id: items[r],
        ts: times[r],
        source: "import",
      }),
    ),
  );
  return files;
}

/**
 * Rows per second of wall time, and per second of this process's CPU time: the import (and PGlite,
 * which runs in this process) is single-threaded, so on a machine shared with other work the CPU figure
 * is close to what an idle machine's wall clock would show, and the wall figure is what this run got.
 */
async function importOnce(
  dir: string,
  file: string,
  format: FileFormat,
  run: number,
): Promise<{ wall: number; cpu: number }> {
  const dbDir = path.join(dir, `db-${format}-${run}`);
  const database = await openPgliteDatabase({ dataDir: dbDir });
  await database.migrate();
  const eventStore = createSqlEventStore(database);
  const rawStore = createPostgresJsonbRawPayloadStore(database.sql);
  try {
    const started = performance.now();
    const cpuBefore = process.cpuUsage();
    const summary = await ingestFile(
      file,
      { eventStore, rawStore },
      { format, batchSize: BATCH, ...(format === "csv" || format === "parquet" ? { mapping: MAPPING } : {}) },
    );
    const seconds = (performance.now() - started) / 1000;
    const cpu = process.cpuUsage(cpuBefore);
    const cpuSeconds = (cpu.user + cpu.system) / 1e6;
    if (summary.stored !== ROWS || summary.rejected !== 0) {
      throw new Error(
        `${format}: stored ${summary.stored} of ${ROWS} (rejected ${summary.rejected}): ${summary.errors[0]}`,
      );
    }
    return { wall: ROWS / seconds, cpu: ROWS / cpuSeconds };
  } finally {
    await eventStore.close();
    await rm(dbDir, { recursive: true, force: true });
  }
}

const dir = await mkdtemp(path.join(tmpdir(), "edgewise-bench-import-"));
try {
  console.log(
    `generating ${ROWS} rows (${USERS} users, ${ITEMS} items) as NDJSON, CSV, Parquet and Segment in ${dir}`,
  );
  const files = await generate(dir);
  const formats = ["ndjson", "csv", "parquet", "segment"] as const;
  const perFormat = () =>
    Object.fromEntries(formats.map((f) => [f, [] as number[]])) as Record<(typeof formats)[number], number[]>;
  const samples = perFormat();
  const cpuSamples = perFormat();
  for (let run = 0; run < RUNS; run++) {
    for (const format of formats) {
      const { wall, cpu } = await importOnce(dir, files[format], format, run);
      samples[format].push(wall);
      cpuSamples[format].push(cpu);
      const rss = Math.round(process.memoryUsage().rss / 2 ** 20);
      const load = os.loadavg()[0]!.toFixed(1);
      console.log(
        `run ${run + 1} ${format.padEnd(7)} ${Math.round(wall)} rows/s, ${Math.round(cpu)} rows per CPU-second (rss ${rss} MiB, load ${load})`,
      );
    }
  }
  const baseline = median(samples.ndjson);
  console.log(
    `\n| format | rows/s (median of ${RUNS}) | runs | vs Edgewise NDJSON | rows per CPU-second | target |\n|---|---|---|---|---|---|`,
  );
  for (const format of formats) {
    const m = median(samples[format]);
    const target = format === "csv" ? `≥ ${TARGET_CSV} ${m >= TARGET_CSV ? "met" : "**missed**"}` : "";
    console.log(
      `| ${format} | ${Math.round(m)} | ${samples[format].map(Math.round).join(", ")} | ${(m / baseline).toFixed(2)}× | ${Math.round(median(cpuSamples[format]))} | ${target} |`,
    );
  }
  console.log(
    `\nstore: PGlite (persisted directory), ${BATCH}-record transactions, raw payloads not copied (the file is the raw copy)`,
  );
  const result = {
    csv_rows_per_s: Math.round(median(samples.csv)),
    parquet_rows_per_s: Math.round(median(samples.parquet)),
    segment_rows_per_s: Math.round(median(samples.segment)),
  };
  const resultsDir = path.join(import.meta.dirname, "results");
  await mkdir(resultsDir, { recursive: true });
  await writeFile(path.join(resultsDir, "import.json"), `${JSON.stringify(result, null, 2)}\n`);
  reportMetric("import.csv_rows_per_s", result.csv_rows_per_s, "rows/s", "higher");
  reportMetric("import.parquet_rows_per_s", result.parquet_rows_per_s, "rows/s", "higher");
  reportMetric("import.segment_rows_per_s", result.segment_rows_per_s, "rows/s", "higher");
} finally {
  await rm(dir, { recursive: true, force: true });
}

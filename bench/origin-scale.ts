/**
 * npm run bench:origin-scale — the origin from events to a published release at three sizes, through the
 * product's own paths, writing bench/results/origin-scale.json (one entry per size):
 *
 * - load_s: the generated interactions (bench/lib/synthetic-interactions.ts: power-law popularity, taste
 *   clusters, a seed) validated by the contract and written with the event store's batch writes, 5,000
 *   records a transaction, as `edgewise import` writes them (generation itself is not counted). A fresh
 *   PGlite store, the default, in a temp directory (or `--database-url`, a fresh database that is
 *   dropped afterwards).
 * - train_s: the logged training cycle `edgewise train --publish` runs (runTrainingCycle with the
 *   configuration's settings, TRAIN_THREADS included), up to the moment it hands the release to publish.
 * - publish_s: publishing that release (gate, artifacts, user features, manifest) to a local edge's KV
 *   (Miniflare persisted in the temp directory, as `--local DIR`), opening the KV not counted.
 * - publish_users_per_s: the release's users ÷ publish_s.
 * - kv_writes: keys written in the publish (every pair of every putMany, MODELS and FEATURES together),
 *   counted by wrapping the KV writers.
 * - peak_rss_mib: the peak resident set of the process that trained and published (load runs in a
 *   process of its own, whose peak is load_peak_rss_mib). The workerd that holds the local KV is a
 *   separate process and not counted.
 *
 *   npm run bench:origin-scale [-- --largest] [-- --only USERSxITEMSxEVENTS] [-- --seed N]
 *                              [-- --database-url postgres://…]
 *
 * Sizes: 10k users × 2k items × 200k events and 100k × 20k × 2M; `--largest` adds 1M × 50k × 10M (long).
 * Entries of sizes not run this time are kept from the previous file. Targets at the largest size on
 * 2 cores: train + publish < 15 minutes, peak RSS < 4 GiB, ≥ 2,000 users/s published.
 */
import { execFileSync, spawn } from "node:child_process";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import pg from "pg";
import { type IngestRecord, parseIngestRecord } from "../models/contracts/index.ts";
import { loadOriginConfig, type OriginConfig } from "../origin/config.ts";
import { openOriginStores } from "../origin/ingest/index.ts";
import {
  createModelRegistry,
  type KvWriter,
  type PublishTargets,
  withPublishTargets,
} from "../origin/release/index.ts";
import { runTrainingCycle, trainingCycleSettings } from "../origin/train/index.ts";
import { syntheticInteractions } from "./lib/synthetic-interactions.ts";

interface Size {
  users: number;
  items: number;
  events: number;
}

interface Entry extends Size {
  load_s: number;
  train_s: number;
  publish_s: number;
  peak_rss_mib: number;
  publish_users_per_s: number;
  kv_writes: number;
  load_peak_rss_mib: number;
  seed: number;
  store: "pglite" | "postgres";
  measured_on: string;
  /** The commit measured, so that figures tell which publish path they show. */
  commit: string;
}

const SIZES: readonly Size[] = [
  { users: 10_000, items: 2_000, events: 200_000 },
  { users: 100_000, items: 20_000, events: 2_000_000 },
];
const LARGEST: Size = { users: 1_000_000, items: 50_000, events: 10_000_000 };
const BATCH = 5_000;
const rootDir = fileURLToPath(new URL("..", import.meta.url));
const resultsFile = path.join(rootDir, "bench/results/origin-scale.json");

const { values } = parseArgs({
  options: {
    largest: { type: "boolean" },
    only: { type: "string" },
    seed: { type: "string" },
    "database-url": { type: "string" },
    // Internal: one phase of one size, in a child process.
    phase: { type: "string" },
    size: { type: "string" },
    dir: { type: "string" },
  },
});
const seed = Number(values.seed ?? 13);

const round = (value: number, digits = 1) => Math.round(value * 10 ** digits) / 10 ** digits;
const peakRssMiB = () => process.resourceUsage().maxRSS / 1024;
const sizeName = (size: Size) => `${size.users}x${size.items}x${size.events}`;

function parseSize(text: string): Size {
  const [users, items, events] = text.split("x").map(Number);
  if (![users, items, events].every((n) => Number.isInteger(n) && (n as number) > 0)) {
    throw new Error(`a size is USERSxITEMSxEVENTS, not ${JSON.stringify(text)}`);
  }
  return { users: users as number, items: items as number, events: events as number };
}

/** The origin's configuration for one size: its own data directory, and its own database if asked. */
function configFor(dir: string, databaseUrl: string | undefined): OriginConfig {
  return loadOriginConfig({
    ...process.env,
    EDGEWISE_DATA_DIR: dir,
    ...(databaseUrl === undefined
      ? { EVENT_STORE: "pglite" }
      : { EVENT_STORE: "postgres", DATABASE_URL: databaseUrl }),
  });
}

/** Child phase: the events into a fresh store. */
async function loadPhase(size: Size, config: OriginConfig) {
  const stores = await openOriginStores(config);
  try {
    await stores.migrate();
    let spentMs = 0;
    for (const batch of syntheticInteractions({ ...size, seed }, BATCH)) {
      const started = performance.now();
      const records: IngestRecord[] = batch.map((input) => {
        const parsed = parseIngestRecord(input);
        if (!parsed.success) {
          throw new Error(`the generator made a record the contract refuses: ${parsed.error}`);
        }
        return parsed.data;
      });
      await stores.eventStore.insertBatch(records);
      spentMs += performance.now() - started;
    }
    const stored = await stores.eventStore.countEvents();
    if (stored !== size.events) {
      throw new Error(`stored ${stored} events of ${size.events}`);
    }
    return { load_s: round(spentMs / 1000), load_peak_rss_mib: round(peakRssMiB()) };
  } finally {
    await stores.close();
  }
}

/** Every key written through `writer`, counted into `count`. */
function counting(writer: KvWriter, count: { writes: number }): KvWriter {
  return {
    ...writer,
    putMany(pairs) {
      count.writes += pairs.length;
      return writer.putMany(pairs);
    },
  };
}

/** Child phase: train and publish as `edgewise train --publish --local DIR` does. */
async function trainPhase(config: OriginConfig) {
  const stores = await openOriginStores(config);
  try {
    const registry = createModelRegistry(stores.database.db);
    const settings = trainingCycleSettings(config);
    const count = { writes: 0 };
    let publishStartedMs = 0;
    let publishMs = 0;
    const startedMs = performance.now();
    const result = await runTrainingCycle(
      {
        eventStore: stores.eventStore,
        registry,
        targets: (work) =>
          withPublishTargets({ kind: "local", dir: config.PUBLISH_LOCAL_DIR }, async (targets) => {
            const counted: PublishTargets = {
              models: counting(targets.models, count),
              features: counting(targets.features, count),
            };
            publishStartedMs = performance.now();
            const published = await work(counted);
            publishMs = performance.now() - publishStartedMs;
            return published;
          }),
      },
      { trigger: "manual", publish: true, ...settings },
    );
    if (result.outcome !== "published" || result.release === undefined) {
      throw new Error(`the cycle ended ${result.outcome}: ${result.message}`);
    }
    const publishS = publishMs / 1000;
    return {
      train_s: round((publishStartedMs - startedMs) / 1000),
      publish_s: round(publishS),
      publish_users_per_s: Math.round(result.release.counts.users / publishS),
      kv_writes: count.writes,
      peak_rss_mib: round(peakRssMiB()),
      timings_ms: result.release.timingsMs,
      counts: result.release.counts,
    };
  } finally {
    await stores.close();
  }
}

/** Runs this script as a child for one phase; resolves to the JSON it prints last. */
function child(args: string[]): Promise<Record<string, unknown>> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--import", "tsx", fileURLToPath(import.meta.url), ...args], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    proc.stdout.on("data", (chunk: Buffer) => {
      out += chunk.toString();
    });
    proc.on("error", reject);
    proc.on("close", (code) => {
      const last = out.trim().split("\n").at(-1) ?? "";
      if (code !== 0) {
        reject(new Error(`${args.join(" ")} exited ${code}: ${out.slice(-2000)}`));
        return;
      }
      resolve(JSON.parse(last) as Record<string, unknown>);
    });
  });
}

/** A fresh Postgres database next to the one given, and how to drop it. */
async function freshDatabase(url: string, name: string): Promise<{ url: string; drop(): Promise<void> }> {
  const admin = new pg.Client({ connectionString: url });
  await admin.connect();
  await admin.query(`DROP DATABASE IF EXISTS ${name}`);
  await admin.query(`CREATE DATABASE ${name}`);
  await admin.end();
  const fresh = new URL(url);
  fresh.pathname = `/${name}`;
  return {
    url: fresh.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: url });
      await client.connect();
      await client.query(`DROP DATABASE IF EXISTS ${name}`);
      await client.end();
    },
  };
}

async function measure(size: Size): Promise<Entry> {
  const dir = await mkdtemp(path.join(tmpdir(), "edgewise-origin-scale-"));
  const given = values["database-url"];
  const database = given === undefined ? undefined : await freshDatabase(given, "edgewise_origin_scale");
  const common = [
    "--size",
    sizeName(size),
    "--dir",
    dir,
    "--seed",
    String(seed),
    ...(database ? ["--database-url", database.url] : []),
  ];
  try {
    console.error(`${sizeName(size)}: loading`);
    const load = await child(["--phase", "load", ...common]);
    console.error(`${sizeName(size)}: loaded in ${load.load_s} s; training and publishing`);
    const trained = await child(["--phase", "train", ...common]);
    console.error(`${sizeName(size)}: ${JSON.stringify(trained)}`);
    return {
      ...size,
      load_s: load.load_s as number,
      train_s: trained.train_s as number,
      publish_s: trained.publish_s as number,
      peak_rss_mib: trained.peak_rss_mib as number,
      publish_users_per_s: trained.publish_users_per_s as number,
      kv_writes: trained.kv_writes as number,
      load_peak_rss_mib: load.load_peak_rss_mib as number,
      seed,
      store: database ? "postgres" : "pglite",
      measured_on: new Date().toISOString().slice(0, 10),
      commit: execFileSync("git", ["rev-parse", "--short", "HEAD"], { cwd: rootDir }).toString().trim(),
    };
  } finally {
    await database?.drop();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  if (values.phase !== undefined) {
    const size = parseSize(values.size ?? "");
    const config = configFor(values.dir ?? "", values["database-url"]);
    const figures = values.phase === "load" ? await loadPhase(size, config) : await trainPhase(config);
    console.log(JSON.stringify(figures));
    return;
  }
  const sizes = values.only ? [parseSize(values.only)] : [...SIZES, ...(values.largest ? [LARGEST] : [])];
  const measured: Entry[] = [];
  for (const size of sizes) {
    measured.push(await measure(size));
    // Written after each size, so that a long run stopped part way keeps what it measured.
    const previous: Entry[] = existsSync(resultsFile) ? JSON.parse(readFileSync(resultsFile, "utf8")) : [];
    const kept = previous.filter((entry) => !measured.some((m) => sizeName(m) === sizeName(entry)));
    const entries = [...kept, ...measured].sort((a, b) => a.events - b.events);
    writeFileSync(resultsFile, `${JSON.stringify(entries, null, 2)}\n`);
  }
  console.table(
    measured.map((e) => ({
      size: sizeName(e),
      load_s: e.load_s,
      train_s: e.train_s,
      publish_s: e.publish_s,
      "train+publish min": round((e.train_s + e.publish_s) / 60, 2),
      peak_rss_mib: e.peak_rss_mib,
      users_per_s: e.publish_users_per_s,
      kv_writes: e.kv_writes,
    })),
  );
  console.log(`wrote ${path.relative(rootDir, resultsFile)}`);
}

await main();

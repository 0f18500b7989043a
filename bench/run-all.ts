/**
 * npm run bench: runs every benchmark, one child process each, and writes one Markdown report,
 * bench/results/latest.md (machine, commit, each benchmark's tables, and a comparison of the
 * headline figures with the previous committed run, bench/results/latest.json).
 *
 * The machine is shared and noisy: each benchmark reports medians, and the comparison shows
 * ratios; read a change of a few tens of percent in latency as noise unless it repeats.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { mkdir, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { type Metric, parseMetrics } from "./lib/metric.ts";

const rootDir = path.resolve(import.meta.dirname, "..");
const resultsDir = path.join(rootDir, "bench", "results");

const benchmarks: Array<{ title: string; script: string; args?: string[] }> = [
  { title: "Edge latency (GET /score in workerd)", script: "bench/edge.ts" },
  {
    title: "Edge recommendations (GET /recommendations, 10k items, in workerd)",
    script: "bench/edge-recommendations.ts",
  },
  { title: "Decision engine (10k items)", script: "bench/decision.ts" },
  { title: "int8 top-k kernel", script: "bench/kernels.ts" },
  { title: "Ingestion throughput", script: "bench/ingest.ts" },
  { title: "Model quality and training time", script: "bench/quality.ts" },
  { title: "Worker bundle size", script: "bench/bundle-size.ts" },
];

const previous = readPrevious();
const sections: string[] = [];
const metrics: Metric[] = [];
const failures: string[] = [];
for (const bench of benchmarks) {
  console.log(`running ${bench.script} …`);
  const started = performance.now();
  const run = spawnSync(process.execPath, ["--import", "tsx", bench.script, ...(bench.args ?? [])], {
    cwd: rootDir,
    env: { ...process.env, BENCH_METRICS: "1" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  const seconds = ((performance.now() - started) / 1000).toFixed(0);
  const { metrics: found, text } = parseMetrics(run.stdout);
  metrics.push(...found);
  if (run.status !== 0) {
    failures.push(`${bench.script} exited ${run.status}`);
  }
  const status =
    run.status === 0
      ? ""
      : ` — **failed (exit ${run.status})**\n\n\`\`\`\n${run.stderr.slice(-2000)}\n\`\`\``;
  sections.push(`## ${bench.title}\n\n\`${bench.script}\`, ${seconds} s${status}\n\n${text}\n`);
}

const commit = git(["rev-parse", "--short", "HEAD"]);
const dirty = git(["status", "--porcelain", "--untracked-files=no"]) ? " (uncommitted changes)" : "";
const report = [
  "# Benchmark report",
  "",
  `Produced by \`npm run bench\` on ${new Date().toISOString()} at commit ${commit}${dirty}.`,
  "",
  `Machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${(os.totalmem() / 2 ** 30).toFixed(0)} GiB, ` +
    `Node ${process.version}, ${os.type()} ${os.release()}; load average at the end ${os
      .loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}.`,
  "",
  "## Headline figures against the previous committed run",
  "",
  comparisonTable(metrics, previous),
  "",
  ...sections,
].join("\n");

await mkdir(resultsDir, { recursive: true });
await writeFile(path.join(resultsDir, "latest.md"), report);
await writeFile(
  path.join(resultsDir, "latest.json"),
  `${JSON.stringify({ commit, producedAt: new Date().toISOString(), metrics }, null, 2)}\n`,
);
console.log(`wrote ${path.relative(rootDir, path.join(resultsDir, "latest.md"))}`);
if (failures.length > 0) {
  console.error(`failed: ${failures.join("; ")}`);
  process.exit(1);
}

function comparisonTable(current: readonly Metric[], before: Map<string, number>): string {
  const rows = current.map((m) => {
    const old = before.get(m.name);
    const ratio = old === undefined || old === 0 ? "—" : `${(m.value / old).toFixed(2)}×`;
    const verdict =
      old === undefined
        ? "new"
        : (m.better === "higher" ? m.value >= old : m.value <= old)
          ? "same or better"
          : "worse";
    return `| ${m.name} | ${format(m.value)} ${m.unit} | ${old === undefined ? "—" : format(old)} | ${ratio} | ${verdict} |`;
  });
  return ["| figure | now | previous | now / previous | |", "|---|---:|---:|---:|---|", ...rows].join("\n");
}

function format(value: number): string {
  return Math.abs(value) >= 100
    ? value.toFixed(0)
    : Math.abs(value) >= 1
      ? value.toFixed(2)
      : value.toPrecision(3);
}

/** The previous run's figures, from the committed latest.json (none on a first run). */
function readPrevious(): Map<string, number> {
  try {
    const text = execFileSync("git", ["show", "HEAD:bench/results/latest.json"], {
      cwd: rootDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    });
    const parsed = JSON.parse(text) as { metrics: Metric[] };
    return new Map(parsed.metrics.map((m) => [m.name, m.value]));
  } catch {
    return new Map();
  }
}

function git(args: string[]): string {
  try {
    return execFileSync("git", args, {
      cwd: rootDir,
      encoding: "utf8",
      stdio: ["ignore", "pipe", "ignore"],
    }).trim();
  } catch {
    return "unknown";
  }
}

/**
 * `npm run bench:quality [-- --data DIR] [--json FILE] [--skip-scale] [--only sentiment,behaviour]`: trains and evaluates every model
 * family on the real data sets in ../shared/data (or DIR), runs each exported model through onnxruntime-web
 * in float32 and int8, prints the tables, and exits non-zero when a gate fails (int8 losing ≥ 1 % relative
 * on a headline metric, a model not clearly beating its baseline, a training-time budget missed) or when
 * the data is missing.
 */
import { existsSync } from "node:fs";
import { mkdir, writeFile } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { behaviourSection } from "./quality/behaviour-section.ts";
import { coldStartSection } from "./quality/cold-start-section.ts";
import { enrichmentSection } from "./quality/enrichment-section.ts";
import { reportQualityMetrics } from "./quality/metrics.ts";
import { recsSection } from "./quality/recs-section.ts";
import type { SectionResult } from "./quality/report.ts";
import { scaleSection } from "./quality/scale-section.ts";
import { sentimentSection } from "./quality/sentiment-section.ts";
import { visionSection } from "./quality/vision-section.ts";

const root = path.resolve(import.meta.dirname, "..");
const { values } = parseArgs({
  options: {
    data: { type: "string", default: path.resolve(root, "..", "shared", "data") },
    json: { type: "string", default: path.join(root, "bench", "results", "quality.json") },
    "skip-scale": { type: "boolean", default: false },
    /** Comma-separated section names (recs, sentiment, behaviour, enrichment, cold-start, vision, scale). */
    only: { type: "string" },
  },
});
const dataDir = path.resolve(values.data);
const required = [
  "movielens-small/ratings.csv",
  "fine-foods/train.csv",
  "fine-foods/test.csv",
  "wa_churn_telco.csv",
  "movielens-small/movies.csv",
];
const missing = required.filter((file) => !existsSync(path.join(dataDir, file)));
if (missing.length > 0) {
  console.error(
    `bench:quality needs the shared data sets in ${dataDir} (pass --data DIR to use another folder); missing: ${missing.join(", ")}`,
  );
  process.exit(2);
}

const sections: SectionResult[] = [];
const all: [string, () => Promise<SectionResult>][] = [
  ["recs", () => recsSection(dataDir)],
  ["sentiment", () => sentimentSection(dataDir)],
  ["behaviour", () => behaviourSection(dataDir)],
  ["enrichment", () => enrichmentSection(dataDir)],
  ["cold-start", () => coldStartSection(dataDir)],
  // generated images: needs no data set
  ["vision", () => visionSection()],
  ["scale", async () => scaleSection()],
];
const only = values.only?.split(",").map((name) => name.trim());
const unknown = only?.filter((name) => !all.some(([known]) => known === name)) ?? [];
if (unknown.length > 0) {
  console.error(
    `bench:quality --only: unknown section(s) ${unknown.join(", ")}; known: ${all.map(([n]) => n).join(", ")}`,
  );
  process.exit(2);
}
const runs = all
  .filter(([name]) => (only ? only.includes(name) : name !== "scale" || !values["skip-scale"]))
  .map(([, run]) => run);
for (const run of runs) {
  const started = performance.now();
  const result = await run();
  sections.push(result);
  console.log(
    `\n## ${result.title}  (section took ${((performance.now() - started) / 1000).toFixed(1)} s)\n`,
  );
  console.log(result.table);
}

reportQualityMetrics(sections);

const checks = sections.flatMap((s) => s.checks);
console.log("\n## Gates\n");
for (const check of checks) {
  console.log(`${check.ok ? "PASS" : "FAIL"}  ${check.name}: ${check.detail}`);
}
await mkdir(path.dirname(values.json), { recursive: true });
await writeFile(values.json, JSON.stringify({ sections, at: new Date().toISOString() }, null, 2));
console.log(`\nfigures written to ${path.relative(process.cwd(), values.json)}`);
const failed = checks.filter((c) => !c.ok);
if (failed.length > 0) {
  console.error(`\n${failed.length} quality gate(s) failed`);
  process.exit(1);
}

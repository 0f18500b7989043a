/**
 * Reports the Worker bundle's size (raw and gzip) against Cloudflare's 64 MiB limit. Reads the
 * output of `wrangler deploy --dry-run --outdir dist/worker` (run by `npm run bench:size`).
 * Exits non-zero when the bundle would be refused.
 */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { reportMetric } from "./lib/metric.ts";

const limitBytes = 64 * 1024 * 1024;
const bundleDir = path.resolve(import.meta.dirname, "..", "dist", "worker");

const files = (await readdir(bundleDir)).filter((file) => file.endsWith(".js") || file.endsWith(".wasm"));
let rawBytes = 0;
let gzipBytes = 0;
const rows: string[] = [];
for (const file of files.sort()) {
  const bytes = await readFile(path.join(bundleDir, file));
  const gzipped = gzipSync(bytes, { level: 9 }).length;
  rawBytes += bytes.length;
  gzipBytes += gzipped;
  rows.push(`| ${file} | ${mib(bytes.length)} | ${mib(gzipped)} |`);
}
console.log("| module | raw MiB | gzip MiB |\n|---|---:|---:|");
console.log(rows.join("\n"));
console.log(`| **total** | **${mib(rawBytes)}** | **${mib(gzipBytes)}** |`);
reportMetric("bundle.raw", rawBytes / 1024 / 1024, "MiB", "lower");
reportMetric("bundle.gzip", gzipBytes / 1024 / 1024, "MiB", "lower");
console.log(`\nlimit 64 MiB uncompressed: ${((rawBytes / limitBytes) * 100).toFixed(1)} % used`);
if (rawBytes > limitBytes) {
  console.error("the Worker bundle exceeds Cloudflare's 64 MiB limit");
  process.exit(1);
}

function mib(bytes: number): string {
  return (bytes / 1024 / 1024).toFixed(2);
}

/**
 * npx tsx bench/kernels.ts — the int8 top-k WebAssembly kernel against its plain TypeScript reference, in
 * the same Node process, over 50,000 items × 64 dims with per-row scales.
 *
 * Prints the median per-call time of each (medians over many samples, the two interleaved in rounds so
 * drift on this shared machine hits both alike) and their ratio. The table is seeded random int8: the work
 * per call does not depend on the values, and ../shared/data holds no item-embedding table to use instead.
 * Needs the built kernel (`npm run build:wasm`).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { mulberry32 } from "../models/random.ts";
import { createInt8TopK } from "../wasm/int8-topk.ts";
import { type Int8ItemTable, scoreAllReference, topKReference } from "../wasm/int8-topk-reference.ts";
import { reportMetric } from "./lib/metric.ts";
import { formatMs, median, timePerCall } from "./lib/stats.ts";

const ITEMS = 50_000;
const DIM = 64;
const K = 10;
const ROUNDS = 5;
const SAMPLES_PER_ROUND = 20;

const wasmPath = fileURLToPath(new URL("../wasm/build/int8-topk.wasm", import.meta.url));
if (!existsSync(wasmPath)) {
  throw new Error(`${wasmPath} is missing: build the kernels first with \`npm run build:wasm\``);
}

const rng = mulberry32(2026);
const randomInt8 = (length: number) => Int8Array.from({ length }, () => Math.floor(rng() * 256) - 128);
const table: Int8ItemTable = {
  data: randomInt8(ITEMS * DIM),
  scales: Float32Array.from({ length: ITEMS }, () => 0.001 + rng() * 0.05),
  items: ITEMS,
  dim: DIM,
};
const users = Array.from({ length: 16 }, () => randomInt8(DIM));
const userScale = 0.01;
const exclude = Int32Array.from({ length: 100 }, () => Math.floor(rng() * ITEMS));

const kernel = createInt8TopK(new WebAssembly.Module(readFileSync(wasmPath)));
kernel.loadTable(table.data, table.scales, ITEMS, DIM);

// A benchmark of a wrong answer is worthless: check agreement before timing.
for (const user of users) {
  const fast = kernel.topK(user, userScale, K, exclude);
  const slow = topKReference(table, user, userScale, K, exclude);
  if (fast.indices.join() !== slow.indices.join() || fast.scores.join() !== slow.scores.join()) {
    throw new Error("the kernel and the reference disagree: fix that before benchmarking");
  }
}

let next = 0;
const nextUser = () => users[next++ % users.length]!;

interface Case {
  name: string;
  wasm: () => unknown;
  reference: () => unknown;
}

const cases: Case[] = [
  {
    name: `topK k=${K}`,
    wasm: () => kernel.topK(nextUser(), userScale, K),
    reference: () => topKReference(table, nextUser(), userScale, K),
  },
  {
    name: `topK k=${K}, 100 excluded`,
    wasm: () => kernel.topK(nextUser(), userScale, K, exclude),
    reference: () => topKReference(table, nextUser(), userScale, K, exclude),
  },
  {
    name: "scoreAll",
    wasm: () => kernel.scoreAll(nextUser(), userScale),
    reference: () => scoreAllReference(table, nextUser(), userScale),
  },
];

console.log(
  `int8 top-k: ${ITEMS} items × ${DIM} dims, per-row scales, Node ${process.version}, ` +
    `kernel ${statSync(wasmPath).size} bytes; median ms per call over ${ROUNDS * SAMPLES_PER_ROUND} samples`,
);
for (const { name, wasm, reference } of cases) {
  // Warm-up lets V8 optimise both before timing.
  await timePerCall(wasm, { samples: 1, iterations: 50 });
  await timePerCall(reference, { samples: 1, iterations: 10 });
  const wasmTimes: number[] = [];
  const referenceTimes: number[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    wasmTimes.push(...(await timePerCall(wasm, { samples: SAMPLES_PER_ROUND, iterations: 5 })));
    referenceTimes.push(...(await timePerCall(reference, { samples: SAMPLES_PER_ROUND, iterations: 1 })));
  }
  const wasmMs = median(wasmTimes);
  const referenceMs = median(referenceTimes);
  reportMetric(`kernel.${name.replace(/[^a-z0-9]+/gi, "_")}.wasm`, wasmMs, "ms", "lower");
  reportMetric(`kernel.${name.replace(/[^a-z0-9]+/gi, "_")}.speedup`, referenceMs / wasmMs, "x", "higher");
  console.log(
    `${name.padEnd(24)} wasm SIMD ${formatMs(wasmMs).padStart(7)}   TypeScript ${formatMs(referenceMs).padStart(7)}` +
      `   ${(referenceMs / wasmMs).toFixed(1)}× faster`,
  );
}

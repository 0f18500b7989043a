/**
 * npx tsx bench/decision.ts — median time of one `decide` call on a 10,000-item, 64-dim catalogue, with the
 * TypeScript reference scorer and (when wasm/build/int8-topk.wasm exists: `npm run build:wasm`) the wasm
 * kernel, in the same Node process, rounds interleaved so drift on a shared machine hits both alike.
 *
 * The catalogue is generated (seeded): 50 clusters of item factors, so MMR has redundancy to remove, with
 * popularity, prices, categories and reviews. ../shared/data holds no trained item-factor table to load,
 * and the engine's work per call depends on sizes, not on the values. Also prints the catalogue's encoded
 * size and decode time, which an isolate pays once per catalogue version.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { type CatalogInput, decodeCatalog, encodeCatalog } from "../models/catalog/index.ts";
import { SurfaceConfig, type UserFeatures } from "../models/contracts/index.ts";
import { mulberry32, randomNormalArray } from "../models/random.ts";
import { loadCatalogKernel } from "../wasm/catalog-kernel.ts";
import { nearestReference, rankedReference } from "../wasm/catalog-search-reference.ts";
import {
  type CandidateGenerator,
  type Decision,
  type DecisionRequest,
  decide,
  kernelCandidates,
} from "../worker/decision/index.ts";
import { reportMetric } from "./lib/metric.ts";
import { formatMs, median, timePerCall } from "./lib/stats.ts";

const ITEMS = 10_000;
const DIM = 64;
const CLUSTERS = 50;
const ROUNDS = 5;
const SAMPLES_PER_ROUND = 20;

const rng = mulberry32(2026);
const centroids = randomNormalArray(rng, CLUSTERS * DIM);
const noise = randomNormalArray(rng, ITEMS * DIM, 0.3);
const vectors = Float32Array.from(
  noise,
  (n, at) => n + centroids[(Math.floor(at / DIM) % CLUSTERS) * DIM + (at % DIM)]!,
);
const reviews = Uint32Array.from({ length: ITEMS }, () => (rng() < 0.4 ? 0 : Math.floor(rng() * 200)));
const input: CatalogInput = {
  version: "bench",
  itemIds: Array.from({ length: ITEMS }, (_, i) => `sku-${i.toString().padStart(6, "0")}`),
  popularity: Float32Array.from({ length: ITEMS }, () => Math.floor(1000 * rng() ** 4)),
  trending: Float32Array.from({ length: ITEMS }, () => 50 * rng() ** 4),
  categories: Array.from({ length: ITEMS }, (_, i) => [`cat-${i % 20}`, ...(i % 7 === 0 ? ["sale"] : [])]),
  price: Float32Array.from({ length: ITEMS }, () => (rng() < 0.05 ? Number.NaN : 1 + 200 * rng())),
  sentiment: { mean: Float32Array.from(reviews, (n) => (n === 0 ? Number.NaN : rng())), count: reviews },
  embedding: { model: "mf", version: "bench", dim: DIM, vectors },
};

const bytes = encodeCatalog(input);
const decodeMs = median(await timePerCall(() => decodeCatalog(bytes), { samples: 15, iterations: 1 }));
const catalog = decodeCatalog(bytes);
const table = catalog.embedding!;

const users: UserFeatures[] = Array.from({ length: 16 }, (_, u) => ({
  userId: `u${u}`,
  updatedAt: "2026-11-20T00:00:00Z",
  vectors: {},
  producedFor: {},
  embedding: { model: "mf", version: "bench", values: Array.from(randomNormalArray(rng, DIM)) },
  recentItems: Array.from({ length: 50 }, () => input.itemIds[Math.floor(rng() * ITEMS)]!),
}));
let next = 0;
const nextUser = () => users[next++ % users.length]!;

const surface = SurfaceConfig.parse({ name: "home", diversity: { lambda: 0.7 } });
interface Case {
  name: string;
  request: DecisionRequest;
  personal: boolean;
}
const cases: Case[] = [
  { name: "personal, MMR λ=0.7", request: { k: 10 }, personal: true },
  {
    name: "personal + filters, explain",
    request: { k: 10, explain: true, filters: { includeCategories: ["sale"], priceMax: 120 } },
    personal: true,
  },
  { name: "cold start (scorer unused)", request: { k: 10 }, personal: false },
];

const run = (candidates: CandidateGenerator, c: Case): Promise<Decision> =>
  decide(c.request, { catalog, user: c.personal ? nextUser() : null, surface, candidates });

const wasmPath = fileURLToPath(new URL("../wasm/build/int8-topk.wasm", import.meta.url));
const reference: CandidateGenerator = {
  personal: (query, n, rules) => nearestReference(catalog, table, query, n, rules),
  ranked: (strategy, n, rules) => rankedReference(catalog, strategy, n, rules),
};
const kernel = existsSync(wasmPath)
  ? kernelCandidates(loadCatalogKernel(new WebAssembly.Module(readFileSync(wasmPath)), bytes))
  : null;

// A benchmark of a wrong answer is worthless: both scorers must decide identically before they are timed.
if (kernel) {
  for (const c of cases) {
    for (let u = 0; u < users.length; u++) {
      const start = next;
      const a = await run(reference, c);
      next = start;
      const b = await run(kernel, c);
      if (JSON.stringify(a.items) !== JSON.stringify(b.items)) {
        throw new Error(`the kernel and the reference decide differently in "${c.name}": fix that first`);
      }
    }
  }
}

console.log(
  `decide: ${ITEMS} items × ${DIM} dims, k=10, ${surface.candidates} candidates, 50 seen items, Node ${process.version}` +
    `\ncatalogue ${(bytes.length / 1024).toFixed(0)} KiB, decode ${formatMs(decodeMs)} ms (once per version per isolate)` +
    `\nmedian ms per decide over ${ROUNDS * SAMPLES_PER_ROUND} samples`,
);
if (!kernel) {
  console.log(`(${wasmPath} is missing: run \`npm run build:wasm\` to time the wasm kernel too)`);
}
for (const c of cases) {
  const referenceTimes: number[] = [];
  const kernelTimes: number[] = [];
  await timePerCall(() => run(reference, c), { samples: 1, iterations: 20 });
  if (kernel) {
    await timePerCall(() => run(kernel, c), { samples: 1, iterations: 50 });
  }
  for (let round = 0; round < ROUNDS; round++) {
    referenceTimes.push(
      ...(await timePerCall(() => run(reference, c), { samples: SAMPLES_PER_ROUND, iterations: 2 })),
    );
    if (kernel) {
      kernelTimes.push(
        ...(await timePerCall(() => run(kernel, c), { samples: SAMPLES_PER_ROUND, iterations: 5 })),
      );
    }
  }
  const referenceMs = median(referenceTimes);
  let line = `${c.name.padEnd(30)} TypeScript scorer ${formatMs(referenceMs).padStart(6)}`;
  if (kernel) {
    const kernelMs = median(kernelTimes);
    reportMetric(
      `decide.${c.name.replace(/[^a-z0-9]+/gi, "_").replace(/_+$/, "")}.wasm`,
      kernelMs,
      "ms",
      "lower",
    );
    line += `   wasm kernel ${formatMs(kernelMs).padStart(6)}   ${(referenceMs / kernelMs).toFixed(1)}× faster`;
  }
  console.log(line);
}
if (kernel) {
  console.log(`kernel ${statSync(wasmPath).size} bytes`);
}

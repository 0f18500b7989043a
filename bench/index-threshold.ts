/**
 * npx tsx bench/index-threshold.ts — where the IVF probe starts to pay: the median time of one candidate
 * search (200 candidates, 20 seen items excluded) by the exact scan and by the IVF probe with the budget the
 * encoder measured, on the synthetic clustered catalogues of bench:scale (64 dims), in Node with the wasm
 * kernel, the two interleaved call by call. INDEX_MIN_ITEMS (models/catalog/ivf-index.ts) is set from it.
 */
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { encodeCatalog } from "../models/catalog/index.ts";
import { loadCatalogKernel, NO_RULES } from "../wasm/catalog-kernel.ts";
import { formatMs, median } from "./lib/stats.ts";
import { syntheticRelease } from "./lib/synthetic-catalog.ts";

const SIZES = (process.env.BENCH_SIZES ?? "2000,4000,8000,16000,32000,64000").split(",").map(Number);
const CALLS = 400;
const module = new WebAssembly.Module(
  readFileSync(fileURLToPath(new URL("../wasm/build/int8-topk.wasm", import.meta.url))),
);

console.log("| items | lists | probe rows | exact ms | probe ms | probe ÷ exact |");
console.log("|---:|---:|---:|---:|---:|---:|");
for (const items of SIZES) {
  const release = syntheticRelease({ items, dim: 64, users: 200 });
  const bytes = encodeCatalog({ ...release.input, index: { minItems: 0, queries: release.userVectors } });
  const kernel = loadCatalogKernel(module, bytes);
  const index = kernel.catalog.index;
  const table = kernel.catalog.embedding!;
  if (index === null) {
    console.log(
      `| ${items} | – | – | – | – | no budget under a quarter of the rows reached the recall target |`,
    );
    continue;
  }
  const rules = { ...NO_RULES, excluded: Uint32Array.from({ length: 20 }, (_, i) => (i * 7919) % items) };
  const exact: number[] = [];
  const probe: number[] = [];
  for (let call = 0; call < CALLS; call++) {
    const query = Float32Array.from(release.users[call % release.users.length]!.embedding!.values);
    let started = performance.now();
    kernel.nearest(table, query, 200, rules, items);
    exact.push(performance.now() - started);
    started = performance.now();
    kernel.nearest(table, query, 200, rules);
    probe.push(performance.now() - started);
  }
  const e = median(exact.slice(CALLS / 4));
  const p = median(probe.slice(CALLS / 4));
  console.log(
    `| ${items} | ${index.lists} | ${index.probeRows} | ${formatMs(e)} | ${formatMs(p)} | ${(p / e).toFixed(2)} |`,
  );
}

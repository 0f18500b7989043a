/**
 * npm run bench:scale — GET /recommendations at 1k, 10k, 100k and 1M items (64 dims, synthetic clustered
 * vectors, 1,000 users, k = 10, the default "home" surface: 200 candidates, MMR λ 0.7), one fresh workerd
 * per size, written to bench/results/scale.json. Per size:
 *
 * - catalog_mib: the encoded catalogue (what KV holds and the isolate reads).
 * - first_request_ms: the first /recommendations after the catalogue is published to a workerd that never
 *   served a request: isolate start, manifest, catalogue read from KV into the kernel, decode, decide. KV is
 *   persisted to a temporary directory, as `edgewise start` runs it: workerd reads the values itself.
 *   Miniflare's in-memory KV instead streams every value through this Node process (the load generator,
 *   holding the release): 0.3 s of its CPU for the 1M-item catalogue, as much as workerd's whole load.
 * - rss_delta_mib: workerd's resident set after a warm isolate adopts the same catalogue again under
 *   another version (published, then read from KV into a second kernel beside the first on the next
 *   request), minus just before that request: the catalogue's cost in memory, plus whatever the read left
 *   behind, in this isolate and in Miniflare's KV service (the same process).
 * - rps_ratio_vs_health: requests/s of /recommendations ÷ /health, one client, in the same workerd,
 *   interleaved in alternating blocks (bench/lib/interleaved-ratio.ts), median of 3 rounds. Beside it the
 *   console shows workerd's CPU time per request of each, whose ratio other processes on the shared machine
 *   disturb far less.
 * - recall_at_10_vs_exact: the share of each user's 10 answered items (from workerd) that the same engine
 *   shows when candidates come from an exact scan (the kernel with a budget of every row, in Node).
 * - decide_ms_p50: the median time of one `decide` call over the 1,000 users, measured in Node around each
 *   call (performance.now() in workerd does not advance during pure compute) with the same engine and the
 *   same wasm kernel the Worker runs.
 *
 * Plus sentiment_rps_ratio_vs_health: the classifiers' measureSentimentRpsRatio (bench/sentiment-throughput.ts,
 * needs ../shared/data/fine-foods; BENCH_SCALE_SENTIMENT=false skips it).
 *
 * BENCH_SCALE_SIZES (comma-separated) and BENCH_SCALE_REQUESTS (per load run) shorten a run. The 1M-item
 * catalogue is over the default isolate memory budget, so it is published here with the budget lifted.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { encodeCatalog } from "../models/catalog/index.ts";
import { SurfaceConfig } from "../models/contracts/index.ts";
import { startLocalEdge } from "../origin/dev/local-edge/local-edge.ts";
import { issueApiKey } from "../origin/release/publish/api-keys.ts";
import { publishRelease } from "../origin/release/publish/publish-release.ts";
import { loadCatalogKernel } from "../wasm/catalog-kernel.ts";
import { decide, kernelCandidates } from "../worker/decision/index.ts";
import { runLoad } from "./lib/http-load.ts";
import { interleavedRatio } from "./lib/interleaved-ratio.ts";
import { rssMiB, workerdChildOf } from "./lib/processes.ts";
import { median } from "./lib/stats.ts";
import { syntheticRelease } from "./lib/synthetic-catalog.ts";
import { measureSentimentRpsRatio } from "./sentiment-throughput.ts";

const SIZES = (process.env.BENCH_SCALE_SIZES ?? "1000,10000,100000,1000000").split(",").map(Number);
const DIM = 64;
const USERS = 1000;
const K = 10;
const REQUESTS = Number(process.env.BENCH_SCALE_REQUESTS ?? 2000);
const ROUNDS = 3;
const rootDir = fileURLToPath(new URL("..", import.meta.url));
const kernelModule = new WebAssembly.Module(readFileSync(`${rootDir}wasm/build/int8-topk.wasm`));
const surface = SurfaceConfig.parse({ name: "home", diversity: { lambda: 0.7 } });
/** The 1M-item catalogue is over the default isolate budget (README): lifted here, where workerd does not enforce one. */
const LIFTED_BUDGET_BYTES = 4 * 2 ** 30;

interface ScaleEntry {
  items: number;
  rps_ratio_vs_health: number;
  decide_ms_p50: number;
  recall_at_10_vs_exact: number;
  first_request_ms: number;
  rss_delta_mib: number;
  catalog_mib: number;
}

const round3 = (value: number) => Math.round(value * 1000) / 1000;

async function fetchJson(url: URL, headers: Record<string, string>) {
  const response = await fetch(url, { headers });
  const body = (await response.json()) as { items?: Array<{ item_id: string }> };
  if (response.status !== 200) {
    throw new Error(`${url.pathname} answered ${response.status}: ${JSON.stringify(body)}`);
  }
  return body;
}

async function measure(items: number): Promise<ScaleEntry> {
  const release = syntheticRelease({ items, dim: DIM, users: USERS });
  const encodeStarted = performance.now();
  const bytes = encodeCatalog({ ...release.input, index: { queries: release.userVectors } });
  const encodeMs = performance.now() - encodeStarted;
  const kernel = loadCatalogKernel(kernelModule, bytes);
  const index = kernel.catalog.index;
  console.log(
    `\n## ${items} items: catalogue ${(bytes.length / 2 ** 20).toFixed(1)} MiB, encoded in ${(encodeMs / 1000).toFixed(1)} s, ` +
      (index
        ? `IVF ${index.lists} lists, probe budget ${index.probeRows} rows (recall@100 ${index.recall.toFixed(3)} at publish)`
        : "no index (exact scan)"),
  );

  // In Node: the engine's answer for every user from the index and from an exact scan, and decide's time.
  const probed = kernelCandidates(kernel);
  const exact = kernelCandidates(kernel, { probeRows: items });
  const decideMs: number[] = [];
  const exactAnswers = new Map<string, string[]>();
  for (const user of release.users) {
    const started = performance.now();
    await decide({ k: K }, { catalog: kernel.catalog, user, surface, candidates: probed });
    decideMs.push(performance.now() - started);
    const truth = await decide({ k: K }, { catalog: kernel.catalog, user, surface, candidates: exact });
    exactAnswers.set(
      user.userId,
      truth.items.map((item) => item.item_id),
    );
  }

  // A 1 s manifest TTL: the isolate starts (on /health) before the release exists, and must see it soon.
  const kvDir = await mkdtemp(path.join(tmpdir(), "edgewise-bench-scale-"));
  const edge = await startLocalEdge({ rootDir, kvPersistDir: kvDir, vars: { MANIFEST_TTL_SECONDS: "1" } });
  try {
    const workerd = workerdChildOf(process.pid);
    const targets = await edge.publishTargets();
    const publish = (version: string) =>
      publishRelease(
        targets,
        {
          models: [],
          artifacts: [{ name: "catalog", version, bytes }],
          users: release.users,
          surfaces: { home: { name: "home", diversity: { lambda: 0.7 } } },
        },
        { memoryBudgetBytes: LIFTED_BUDGET_BYTES },
      );
    const headers = { authorization: `Bearer ${await issueApiKey(await edge.kv("MODELS"), "bench")}` };
    const paths = release.users.map((user) => `/recommendations?user_id=${user.userId}&k=${K}`);
    const health = { url: edge.url, paths: ["/health"], concurrency: 1, requests: REQUESTS, headers };
    const recommendations = { ...health, paths };
    await runLoad({ ...health, requests: 200 });
    await publish(release.input.version);
    await sleep(1100);

    // The isolate's first /recommendations: catalogue read from KV into the kernel, decoded, then decide.
    const firstStarted = performance.now();
    const first = await fetchJson(new URL(paths[0]!, edge.url), headers);
    const firstMs = performance.now() - firstStarted;
    if ((first.items?.length ?? 0) !== K) {
      throw new Error(`the first answer has ${first.items?.length} items, expected ${K}`);
    }

    let hits = 0;
    for (const user of release.users) {
      const body = await fetchJson(
        new URL(`/recommendations?user_id=${user.userId}&k=${K}`, edge.url),
        headers,
      );
      const truth = new Set(exactAnswers.get(user.userId));
      hits += (body.items ?? []).filter((item) => truth.has(item.item_id)).length;
    }
    const recall = hits / (USERS * K);

    await runLoad({ ...recommendations, requests: 300 });
    const measured = await interleavedRatio(recommendations, health, ROUNDS, workerd);
    for (const [r, round] of measured.rounds.entries()) {
      console.log(
        `round ${r + 1}: /health ${round.baselineRps.toFixed(0)} req/s, /recommendations ${round.subjectRps.toFixed(0)} req/s, ratio ${round.ratio.toFixed(3)}; ` +
          `workerd CPU per request ${round.baselineCpuMicros?.toFixed(0)} / ${round.subjectCpuMicros?.toFixed(0)} µs (ratio ${(round.baselineCpuMicros! / round.subjectCpuMicros!).toFixed(3)})`,
      );
    }

    // The catalogue's memory in an isolate whose code is warm: the same bytes published as another
    // version load into a new kernel beside the first (an isolate keeps two versions).
    await publish(`${release.input.version}-again`);
    await sleep(1100);
    const rssBefore = rssMiB(workerd);
    await fetchJson(new URL(paths[1]!, edge.url), headers);
    const rssAfter = rssMiB(workerd);

    const entry: ScaleEntry = {
      items,
      rps_ratio_vs_health: round3(measured.ratio),
      decide_ms_p50: round3(median(decideMs)),
      recall_at_10_vs_exact: round3(recall),
      first_request_ms: round3(firstMs),
      rss_delta_mib: round3(rssAfter - rssBefore),
      catalog_mib: round3(bytes.length / 2 ** 20),
    };
    console.log(
      `${JSON.stringify(entry)}\nworkerd RSS ${rssBefore.toFixed(0)} → ${rssAfter.toFixed(0)} MiB; kernel memory ${(kernel.memoryBytes / 2 ** 20).toFixed(1)} MiB`,
    );
    return entry;
  } finally {
    await edge.dispose();
    await rm(kvDir, { recursive: true, force: true });
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

const entries: Array<ScaleEntry | { sentiment_rps_ratio_vs_health: number }> = [];
for (const items of SIZES) {
  entries.push(await measure(items));
}
if (process.env.BENCH_SCALE_SENTIMENT !== "false") {
  // The classifiers' measurement (bench/sentiment-throughput.ts): the same interleaving, in its own workerd.
  const sentiment = await measureSentimentRpsRatio({ rounds: ROUNDS, requests: REQUESTS });
  console.log(`\nsentiment_rps_ratio_vs_health ${sentiment.sentimentRpsRatioVsHealth.toFixed(3)}`);
  entries.push({ sentiment_rps_ratio_vs_health: round3(sentiment.sentimentRpsRatioVsHealth) });
}
const out = `${rootDir}bench/results/scale.json`;
writeFileSync(out, `${JSON.stringify(entries, null, 2)}\n`);
console.log(`\nwrote ${out}`);

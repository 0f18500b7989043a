import { encodeCatalog } from "../models/catalog/index.ts";
import type { UserFeatures } from "../models/contracts/index.ts";
import { buildDemoModels } from "../models/onnx/index.ts";
import { mulberry32, randomNormalArray } from "../models/random.ts";
import { startLocalEdge } from "../origin/dev/local-edge/local-edge.ts";
import { demoSeed } from "../origin/dev/local-edge/seed-demo.ts";
import { issueApiKey } from "../origin/release/publish/api-keys.ts";
import { createMiniflareKvWriter } from "../origin/release/publish/miniflare-kv-writer.ts";
import { publishRelease } from "../origin/release/publish/publish-release.ts";
import { runLoad } from "./lib/http-load.ts";
import { reportMetric } from "./lib/metric.ts";
import { rssMiB, workerdChildOf } from "./lib/processes.ts";
import { formatMs, median, quantile } from "./lib/stats.ts";

const items = 10_000;
const dim = 64;
const userCount = 1_000;
const requestsPerLevel = Number(process.env.BENCH_EDGE_REQUESTS ?? 4000);

const rng = mulberry32(7);
const clusters = Array.from({ length: 20 }, () => randomNormalArray(rng, dim));
const itemVectors = new Float32Array(items * dim);
for (let i = 0; i < items; i++) {
  const centre = clusters[i % clusters.length]!;
  for (let d = 0; d < dim; d++) {
    itemVectors[i * dim + d] = (centre[d]! + 0.5 * (rng() * 2 - 1)) / Math.sqrt(dim);
  }
}
const itemIds = Array.from({ length: items }, (_, i) => `item-${i}`);
const catalog = encodeCatalog({
  version: "bench",
  itemIds,
  popularity: itemIds.map((_, i) => 10_000 / (i + 1)),
  trending: itemIds.map(() => rng()),
  categories: itemIds.map((_, i) => [`category-${i % 20}`]),
  price: itemIds.map(() => 5 + rng() * 95),
  sentiment: { mean: itemIds.map(() => rng()), count: itemIds.map(() => 1 + Math.floor(rng() * 30)) },
  embedding: { model: "bench-mf", version: "bench", dim, vectors: itemVectors },
});
const users: UserFeatures[] = Array.from({ length: userCount }, (_, u) => ({
  userId: `user-${u}`,
  updatedAt: new Date(0).toISOString(),
  vectors: {},
  producedFor: {},
  embedding: { model: "bench-mf", version: "bench", values: Array.from(randomNormalArray(rng, dim)) },
  recentItems: Array.from({ length: 20 }, () => itemIds[Math.floor(rng() * items)]!),
}));

const edge = await startLocalEdge({ rootDir: new URL("..", import.meta.url).pathname });
try {
  const workerd = workerdChildOf(process.pid);
  const rssBeforeMiB = rssMiB(workerd);
  const models = buildDemoModels(demoSeed);
  await publishRelease(
    {
      models: createMiniflareKvWriter(await edge.kv("MODELS")),
      features: createMiniflareKvWriter(await edge.kv("FEATURES")),
    },
    {
      models: [models.behaviour, models.itemScorer],
      artifacts: [{ name: "catalog", version: "bench", bytes: catalog }],
      users,
    },
  );
  const headers = { authorization: `Bearer ${await issueApiKey(await edge.kv("MODELS"), "bench")}` };
  const paths = users.map((user) => `/recommendations?user_id=${user.userId}&k=10`);

  const coldStarted = performance.now();
  const cold = await fetch(new URL(paths[0]!, edge.url), { headers });
  await cold.arrayBuffer();
  const coldMs = performance.now() - coldStarted;
  // Load every model too, so the memory figure covers the catalogue and all sessions.
  await fetch(new URL("/score?model=demo-behaviour&user_id=none", edge.url), { headers });
  // Warm every user's features into the isolate cache, as a steady state would.
  await runLoad({ url: edge.url, paths, concurrency: 8, requests: userCount, headers });
  const rssAfterMiB = rssMiB(workerd);

  console.log(
    `# GET /recommendations: ${items} items × ${dim} dims, ${userCount} users, k = 10, home surface (MMR λ 0.7)\n`,
  );
  console.log(
    `catalogue ${(catalog.length / 1024).toFixed(0)} KiB; cold first request (catalogue read + decode + kernel load): ${formatMs(coldMs)} ms`,
  );
  console.log("\n| clients | requests | p50 ms | p99 ms | req/s | target |");
  console.log("|---:|---:|---:|---:|---:|---|");
  const timing = new Map<string, number[]>();
  for (const concurrency of [1, 8]) {
    const result = await runLoad({ url: edge.url, paths, concurrency, requests: requestsPerLevel, headers });
    if (result.failures > 0) {
      throw new Error(`${result.failures} of ${requestsPerLevel} requests failed`);
    }
    const p50 = median(result.latenciesMs);
    const p99 = quantile(result.latenciesMs, 0.99);
    const target =
      concurrency === 8
        ? `p50 ≤ 2: ${p50 <= 2 ? "met" : "not met"}; p99 ≤ 10: ${p99 <= 10 ? "met" : "not met"}`
        : "";
    console.log(
      `| ${concurrency} | ${requestsPerLevel} | ${formatMs(p50)} | ${formatMs(p99)} | ${result.requestsPerSecond.toFixed(0)} | ${target} |`,
    );
    reportMetric(`recommendations.c${concurrency}.p50`, p50, "ms", "lower");
    reportMetric(`recommendations.c${concurrency}.p99`, p99, "ms", "lower");
    reportMetric(`recommendations.c${concurrency}.rps`, result.requestsPerSecond, "req/s", "higher");
    for (const [name, values] of result.serverTimingMs) {
      timing.set(name, [...(timing.get(name) ?? []), ...values]);
    }
  }
  console.log(
    "\nServer-Timing split (mean ms per request over both levels; workerd's clock advances only across I/O, so pure compute reads as 0 unless it spans one):\n",
  );
  console.log("| stage | mean ms | share of total |");
  console.log("|---|---:|---:|");
  const total = mean(timing.get("total") ?? [0]);
  for (const [name, values] of timing) {
    console.log(
      `| ${name} | ${mean(values).toFixed(3)} | ${total > 0 ? ((mean(values) / total) * 100).toFixed(0) : "–"} % |`,
    );
  }
  console.log(
    `\nworkerd process RSS: ${rssBeforeMiB.toFixed(0)} MiB after start-up, ${rssAfterMiB.toFixed(0)} MiB with the catalogue, ` +
      `every session and ${userCount} users cached (+${(rssAfterMiB - rssBeforeMiB).toFixed(0)} MiB; the process includes the runtime ` +
      "and Miniflare's own workers, so the isolate's share is at most the difference)",
  );
  reportMetric("recommendations.cold_first_request", coldMs, "ms", "lower");
  reportMetric("recommendations.workerd_rss_growth", rssAfterMiB - rssBeforeMiB, "MiB", "lower");
} finally {
  await edge.dispose();
}

function mean(values: readonly number[]): number {
  return values.reduce((sum, v) => sum + v, 0) / Math.max(1, values.length);
}

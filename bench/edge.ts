/**
 * npm run bench:edge — the edge model endpoint in a real workerd on localhost.
 *
 * Prints: workerd start-up, the cold first request (ORT initialization + session creation), warm
 * p50/p99 and requests/s under 1 and 8 concurrent clients, and the same model's per-call time in
 * onnxruntime-node (native) and onnxruntime-web (WASM, in Node) measured in the same run, with the
 * ratios. The machine is shared and noisy: compare ratios, not absolute figures, across runs.
 */
import * as ortNode from "onnxruntime-node";
import * as ortWeb from "onnxruntime-web";
import { startLocalEdge } from "../origin/dev/local-edge/local-edge.ts";
import { demoFeatureVector, seedDemo } from "../origin/dev/local-edge/seed-demo.ts";
import { issueApiKey } from "../origin/release/publish/api-keys.ts";
import { runLoad } from "./lib/http-load.ts";
import { reportMetric } from "./lib/metric.ts";
import { formatMs, median, quantile, timePerCall } from "./lib/stats.ts";

const rootDir = new URL("..", import.meta.url).pathname;
const requestsPerLevel = Number(process.env.BENCH_EDGE_REQUESTS ?? 4000);
const users = 100;

const startupStarted = performance.now();
const edge = await startLocalEdge({ rootDir });
const startupMs = performance.now() - startupStarted;
try {
  const seeded = await seedDemo(
    { models: await edge.kv("MODELS"), features: await edge.kv("FEATURES") },
    { users },
  );
  const headers = { authorization: `Bearer ${await issueApiKey(await edge.kv("MODELS"), "bench")}` };
  const paths = seeded.users.map((user) => `/score?model=demo-behaviour&user_id=${user.userId}`);
  // The same scores with the vector in the query: no feature lookup at all.
  const inlinePaths = seeded.users.map(
    (user) => `/score?model=demo-behaviour&features=${user.vectors[demoFeatureVector]!.join(",")}`,
  );

  const coldStarted = performance.now();
  const cold = await fetch(new URL(paths[0]!, edge.url), { headers });
  await cold.arrayBuffer();
  const coldMs = performance.now() - coldStarted;
  if (cold.status !== 200) {
    throw new Error(`the first request failed with ${cold.status}`);
  }

  await runLoad({ url: edge.url, paths, concurrency: 8, requests: 500, headers });
  const levels = [];
  for (const [label, key, levelPaths] of [
    ["user_id (isolate feature cache)", "score_user", paths],
    ["features inline", "score_inline", inlinePaths],
    ["GET /health", "health", ["/health"]],
  ] as const) {
    for (const concurrency of [1, 8]) {
      const result = await runLoad({
        url: edge.url,
        paths: levelPaths,
        concurrency,
        requests: requestsPerLevel,
        headers,
      });
      if (result.failures > 0) {
        throw new Error(`${result.failures} of ${requestsPerLevel} requests to ${label} failed`);
      }
      levels.push({ label, key, concurrency, ...result });
    }
  }

  const vector = Float32Array.from(seeded.users[0]!.vectors[demoFeatureVector]!);
  const nativeMs = await perCall(ortNode, seeded.models.behaviour.bytes, vector);
  ortWeb.env.wasm.numThreads = 1;
  const webMs = await perCall(ortWeb, seeded.models.behaviour.bytes, vector);

  console.log(`# Edge model endpoint (GET /score, demo-behaviour int8 MLP 16→32→1, ${users} users)\n`);
  console.log(`workerd start-up (Miniflare ready): ${formatMs(startupMs)} ms`);
  console.log(`cold first request (ORT init + session): ${formatMs(coldMs)} ms\n`);
  console.log("| request | clients | requests | p50 ms | p99 ms | req/s | failures | p50 / native call |");
  console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
  for (const level of levels) {
    const p50 = median(level.latenciesMs);
    console.log(
      `| ${level.label} | ${level.concurrency} | ${requestsPerLevel} | ${formatMs(p50)} | ${formatMs(quantile(level.latenciesMs, 0.99))} | ${level.requestsPerSecond.toFixed(0)} | ${level.failures} | ${(p50 / nativeMs).toFixed(0)}× |`,
    );
  }
  reportMetric("edge.cold_first_request", coldMs, "ms", "lower");
  for (const level of levels) {
    const key = `edge.${level.key}.c${level.concurrency}`;
    reportMetric(`${key}.p50`, median(level.latenciesMs), "ms", "lower");
    reportMetric(`${key}.p99`, quantile(level.latenciesMs, 0.99), "ms", "lower");
    reportMetric(`${key}.rps`, level.requestsPerSecond, "req/s", "higher");
  }
  reportMetric("edge.ort_node_per_call", nativeMs * 1000, "us", "lower");
  reportMetric("edge.ort_web_per_call", webMs * 1000, "us", "lower");
  console.log(`\nper-call session.run, same model and input, in this process (median of 30 × 200 calls):`);
  console.log(`- onnxruntime-node (native): ${formatMs(nativeMs * 1000)} µs`);
  console.log(
    `- onnxruntime-web (WASM, Node): ${formatMs(webMs * 1000)} µs (${(webMs / nativeMs).toFixed(2)}× native)`,
  );
} finally {
  await edge.dispose();
}

async function perCall(
  runtime: typeof ortNode | typeof ortWeb,
  bytes: Uint8Array,
  vector: Float32Array,
): Promise<number> {
  const session = await runtime.InferenceSession.create(bytes);
  const feeds = { features: new runtime.Tensor("float32", vector, [1, vector.length]) };
  const run = () => session.run(feeds as never);
  await timePerCall(run, { samples: 3, iterations: 200 });
  const ms = median(await timePerCall(run, { samples: 30, iterations: 200 }));
  await session.release();
  return ms;
}

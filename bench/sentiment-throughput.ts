/**
 * `POST /analyze-sentiment` requests/s as a share of `GET /health` requests/s, in one workerd, measured
 * interleaved: each round runs both loads back to back (the order alternating from round to round, so a
 * slow phase of the shared machine hits both alike), and the figure is the median of the rounds' ratios.
 *
 * The model is the sentiment trainer's (models/text features, sparse int8 graph) fitted on the fine-foods
 * training reviews, and the requests send the fine-foods test reviews in turn (median 279 characters), so
 * the features per request are what real reviews give. Throughput does not depend on how well the model
 * was fitted, so it trains briefly (one L2, two epochs).
 *
 * `measureSentimentRpsRatio()` is what `bench:scale` calls for `sentiment_rps_ratio_vs_health`; run this
 * file to print the figure: `npm run build && npx tsx bench/sentiment-throughput.ts [--data DIR]
 * [--rounds 3] [--requests 2000] [--concurrency 1]`.
 */
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { startLocalEdge } from "../origin/dev/local-edge/local-edge.ts";
import { issueApiKey } from "../origin/release/publish/api-keys.ts";
import { publishRelease } from "../origin/release/publish/publish-release.ts";
import { parseLabelledTextCsv } from "../origin/train/datasets/labelled-text.ts";
import { sentimentReleaseModel, trainSentiment } from "../origin/train/sentiment/index.ts";
import { runLoad } from "./lib/http-load.ts";
import { cpuSeconds, workerdChildOf } from "./lib/processes.ts";
import { median } from "./lib/stats.ts";

const rootDir = path.resolve(import.meta.dirname, "..");

export interface SentimentThroughputOptions {
  /** Folder holding fine-foods/train.csv and test.csv. Default ../shared/data. */
  dataDir?: string;
  /** Interleaved rounds; the figure is their median. Default 3. */
  rounds?: number;
  /** Requests per load in each round. Default 2000. */
  requests?: number;
  /** Concurrent clients (closed loop). Default 1. */
  concurrency?: number;
}

export interface SentimentThroughput {
  /** Median over rounds of sentiment req/s ÷ health req/s. */
  sentimentRpsRatioVsHealth: number;
  rounds: { healthRps: number; sentimentRps: number; ratio: number }[];
  /**
   * workerd's CPU time per request (user + system, median over rounds), µs: what a request costs the
   * isolate, much less sensitive than req/s to other processes on a shared machine.
   */
  cpuMicrosPerRequest: { health: number; sentiment: number };
  requestsPerLoad: number;
  concurrency: number;
  medianTextChars: number;
}

export async function measureSentimentRpsRatio(
  options: SentimentThroughputOptions = {},
): Promise<SentimentThroughput> {
  const dir = path.join(options.dataDir ?? path.resolve(rootDir, "..", "shared", "data"), "fine-foods");
  if (!existsSync(path.join(dir, "train.csv")) || !existsSync(path.join(dir, "test.csv"))) {
    throw new Error(`the sentiment throughput bench needs fine-foods/train.csv and test.csv in ${dir}`);
  }
  const rounds = options.rounds ?? 3;
  const requests = options.requests ?? 2000;
  const concurrency = options.concurrency ?? 1;
  const train = parseLabelledTextCsv(await readFile(path.join(dir, "train.csv"), "utf8"));
  const { texts } = parseLabelledTextCsv(await readFile(path.join(dir, "test.csv"), "utf8"));
  const { model } = trainSentiment(train.texts, train.labels, { l2Grid: [1e-3], epochs: 2 });

  const edge = await startLocalEdge({ rootDir });
  try {
    await publishRelease(await edge.publishTargets(), {
      models: [sentimentReleaseModel(model, "int8", "bench")],
      users: [],
    });
    const headers = { authorization: `Bearer ${await issueApiKey(await edge.kv("MODELS"), "bench")}` };
    const bodies = texts.map((text) => JSON.stringify({ text }));
    const health = { url: edge.url, paths: ["/health"], concurrency, requests, headers };
    const sentiment = { ...health, paths: ["/analyze-sentiment"], bodies };
    const answer = await fetch(new URL("/analyze-sentiment", edge.url), {
      method: "POST",
      headers: { ...headers, "content-type": "application/json" },
      body: bodies[0],
    });
    const first = (await answer.json()) as { degraded?: boolean };
    if (answer.status !== 200 || first.degraded !== false) {
      throw new Error(
        `the edge does not serve the sentiment model: ${answer.status} ${JSON.stringify(first)}`,
      );
    }
    // Warm both paths (session, JIT) before anything counts.
    await runLoad({ ...health, requests: 300 });
    await runLoad({ ...sentiment, requests: 300 });
    const workerd = workerdChildOf(process.pid);
    const measured: SentimentThroughput["rounds"] = [];
    const cpu = { health: [] as number[], sentiment: [] as number[] };
    for (let round = 0; round < rounds; round++) {
      const order = round % 2 === 0 ? [health, sentiment] : [sentiment, health];
      const results = new Map<object, number>();
      for (const load of order) {
        const cpuBefore = cpuSeconds(workerd);
        const result = await runLoad(load);
        if (result.failures > 0) {
          throw new Error(`${result.failures} of ${requests} requests to ${load.paths[0]} failed`);
        }
        results.set(load, result.requestsPerSecond);
        (load === health ? cpu.health : cpu.sentiment).push(
          ((cpuSeconds(workerd) - cpuBefore) / requests) * 1e6,
        );
      }
      const healthRps = results.get(health)!;
      const sentimentRps = results.get(sentiment)!;
      measured.push({ healthRps, sentimentRps, ratio: sentimentRps / healthRps });
    }
    return {
      sentimentRpsRatioVsHealth: median(measured.map((r) => r.ratio)),
      rounds: measured,
      cpuMicrosPerRequest: { health: median(cpu.health), sentiment: median(cpu.sentiment) },
      requestsPerLoad: requests,
      concurrency,
      medianTextChars: median(texts.map((text) => text.length)),
    };
  } finally {
    await edge.dispose();
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: {
      data: { type: "string" },
      rounds: { type: "string", default: "3" },
      requests: { type: "string", default: "2000" },
      concurrency: { type: "string", default: "1" },
    },
  });
  const result = await measureSentimentRpsRatio({
    ...(values.data ? { dataDir: values.data } : {}),
    rounds: Number(values.rounds),
    requests: Number(values.requests),
    concurrency: Number(values.concurrency),
  });
  console.log(
    `POST /analyze-sentiment vs GET /health, one workerd, ${result.concurrency} client(s), ` +
      `${result.requestsPerLoad} requests per load, fine-foods test reviews (median ${result.medianTextChars} chars)`,
  );
  console.log("| round | /health req/s | /analyze-sentiment req/s | ratio |");
  console.log("|---:|---:|---:|---:|");
  result.rounds.forEach((r, i) => {
    console.log(
      `| ${i + 1} | ${r.healthRps.toFixed(0)} | ${r.sentimentRps.toFixed(0)} | ${r.ratio.toFixed(3)} |`,
    );
  });
  console.log(
    `\nsentiment_rps_ratio_vs_health (median of ${result.rounds.length}): ${result.sentimentRpsRatioVsHealth.toFixed(3)}`,
  );
  const { health, sentiment } = result.cpuMicrosPerRequest;
  console.log(
    `workerd CPU per request (median): /health ${health.toFixed(0)} µs, /analyze-sentiment ${sentiment.toFixed(0)} µs ` +
      `(ratio ${(health / sentiment).toFixed(3)})`,
  );
}

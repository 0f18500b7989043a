/**
 * `npm run bench:product`: what a data scientist would measure. MovieLens-small is split per user 75/25
 * (seeded, original timestamps); the training part is posted through the ingestion API of a real origin,
 * trained and published by the pipeline, and the edge (workerd, GET /recommendations over HTTP, the `home`
 * surface as served) is asked for every test user; its answers are scored. Beside it, `edgewise eval recs`
 * on the same two files. Writes bench/results/product.json:
 *   {"product":{"ndcg_at_10","precision_at_10"},"offline":{…},"ratio": product nDCG / offline nDCG}
 * Loopback only. Needs `npm run build` (the Worker bundle). Both sides train on all history
 * (TRAIN_WINDOW_DAYS=0) with the same settings.
 */
import { execFile } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import { decodeCatalog } from "../models/catalog/index.ts";
import { ARTIFACT_NAMES } from "../models/contracts/index.ts";
import { mulberry32 } from "../models/random.ts";
import { startLocalEdge } from "../origin/dev/local-edge/local-edge.ts";
import { postRecords } from "../origin/dev/local-stack/post-sample-data.ts";
import { fixedTargets } from "../origin/release/index.ts";
import { createMiniflareKvWriter, issueApiKey } from "../origin/release/publish/index.ts";
import { createModelRegistry } from "../origin/release/registry/index.ts";
import { evaluateRanking, runTrainingCycle, trainingCycleSettings } from "../origin/train/index.ts";
import { startBenchOrigin } from "./lib/bench-origin.ts";
import { seenSetBytes } from "./lib/seen-set-bytes.ts";

const K = 10;
const SEED = 42;
const rootDir = path.resolve(import.meta.dirname, "..");
const ratingsPath = path.join(rootDir, "..", "shared", "data", "movielens-small", "ratings.csv");
const env = { ...process.env, TRAIN_WINDOW_DAYS: "0" };

interface Rating {
  user: string;
  item: string;
  rating: string;
  ts: number;
}

/** Per-user 75/25 split of each user's ratings, seeded. */
function splitPerUser(ratings: Rating[]): { train: Rating[]; test: Rating[] } {
  const byUser = new Map<string, Rating[]>();
  for (const r of ratings) {
    byUser.set(r.user, [...(byUser.get(r.user) ?? []), r]);
  }
  const rng = mulberry32(SEED);
  const train: Rating[] = [];
  const test: Rating[] = [];
  for (const rows of byUser.values()) {
    const order = rows.map((row) => ({ row, key: rng() })).sort((a, b) => a.key - b.key);
    const testCount = rows.length < 2 ? 0 : Math.round(rows.length * 0.25);
    order.forEach(({ row }, i) => {
      (i < testCount ? test : train).push(row);
    });
  }
  return { train, test };
}

const csv = (rows: Rating[]) =>
  `userId,movieId,rating,timestamp\n${rows.map((r) => `${r.user},${r.item},${r.rating},${r.ts}`).join("\n")}\n`;

async function offline(trainFile: string, testFile: string) {
  const { stdout } = await promisify(execFile)(
    process.execPath,
    [
      path.join(rootDir, "bin", "edgewise.mjs"),
      "eval",
      "recs",
      "--train",
      trainFile,
      "--test",
      testFile,
      "--json",
    ],
    { env, maxBuffer: 64 * 1024 * 1024 },
  );
  return JSON.parse(stdout) as {
    served: { model: string; test: { ndcg: number; precision: number; users: number } };
    test: Record<string, number>;
    tuning: { fits: number; tuneSeconds: number; fitSeconds: number };
  };
}

const text = await readFile(ratingsPath, "utf8");
const ratings: Rating[] = text
  .trim()
  .split("\n")
  .slice(1)
  .map((line) => {
    const [user, item, rating, ts] = line.replaceAll('"', "").split(",");
    return { user: user!, item: item!, rating: rating!, ts: Number(ts) };
  });
const { train, test } = splitPerUser(ratings);
const dir = await mkdtemp(path.join(tmpdir(), "edgewise-product-"));
const trainFile = path.join(dir, "train.csv");
const testFile = path.join(dir, "test.csv");
await writeFile(trainFile, csv(train));
await writeFile(testFile, csv(test));
console.log(
  `MovieLens-small: ${ratings.length} ratings → ${train.length} train, ${test.length} test (seed ${SEED})`,
);

let started = performance.now();
const off = await offline(trainFile, testFile);
console.log(
  `offline (edgewise eval recs): ${off.served.model}; nDCG@${K} ${off.served.test.ndcg.toFixed(4)} over ${off.served.test.users} users (${((performance.now() - started) / 1000).toFixed(0)} s)`,
);

const origin = await startBenchOrigin(dir, env);
const { config, stores, ingestKey, url: originUrl } = origin;
const edge = await startLocalEdge({ rootDir, kvPersistDir: path.join(dir, "edge"), port: 0 });
try {
  started = performance.now();
  const records = train.map((r, i) => ({
    event_id: `ml-${i}`,
    type: "rating" as const,
    user_id: `u${r.user}`,
    item_id: `m${r.item}`,
    ts: r.ts * 1000,
    value: Number(r.rating),
    source: "movielens",
  }));
  const posted = await postRecords(originUrl, ingestKey, records);
  console.log(`posted ${posted.stored} events through ${originUrl.href}v1/events/batch`);
  const models = await edge.kv("MODELS");
  const targets = {
    models: createMiniflareKvWriter(models),
    features: createMiniflareKvWriter(await edge.kv("FEATURES")),
  };
  const settings = trainingCycleSettings(config);
  const result = await runTrainingCycle(
    {
      eventStore: stores.eventStore,
      registry: createModelRegistry(stores.database.db),
      targets: fixedTargets(targets),
    },
    { trigger: "manual", publish: true, ...settings },
  );
  if (result.outcome !== "published") {
    throw new Error(`not published: ${result.message}`);
  }
  for (const note of result.release?.notes ?? []) {
    console.log(`  ${note}`);
  }
  console.log(`trained and published (${((performance.now() - started) / 1000).toFixed(0)} s)`);
  const release = result.release!;
  const catalog = decodeCatalog(release.artifacts.find((a) => a.name === ARTIFACT_NAMES.catalog)!.bytes);
  const seenSets = seenSetBytes(release.users, catalog.items, (i) => catalog.itemId(i));
  const figures = (f: { median: number; p99: number; max: number }) =>
    `median ${f.median}, p99 ${f.p99}, max ${f.max}`;
  console.log(
    `seen sets of ${seenSets.users} users (items: ${figures(seenSets.items)}): bytes per user ${figures(seenSets.bytes)}; ` +
      `as a JSON list of ids ${figures(seenSets.idListBytes)}`,
  );

  // Relevant items: the user's test items the training part has, minus their training items (as offline).
  const trainItems = new Set(train.map((r) => r.item));
  const seen = new Map<string, Set<string>>();
  for (const r of train) {
    seen.set(r.user, (seen.get(r.user) ?? new Set()).add(r.item));
  }
  const relevantByUser = new Map<string, Set<string>>();
  for (const r of test) {
    if (seen.has(r.user) && trainItems.has(r.item) && !seen.get(r.user)!.has(r.item)) {
      relevantByUser.set(r.user, (relevantByUser.get(r.user) ?? new Set()).add(r.item));
    }
  }
  const apiKey = await issueApiKey(models, "bench-product");
  const itemIndex = new Map([...trainItems].map((item, i) => [`m${item}`, i]));
  const lists: Int32Array[] = [];
  const relevant: Set<number>[] = [];
  let shownSeen = 0;
  started = performance.now();
  for (const [user, items] of relevantByUser) {
    const url = new URL(`/recommendations?user_id=u${user}&k=${K}`, edge.url);
    const response = await fetch(url, { headers: { authorization: `Bearer ${apiKey}` } });
    if (!response.ok) {
      throw new Error(`GET ${url.pathname}${url.search}: ${response.status} ${await response.text()}`);
    }
    const body = (await response.json()) as { items: { item_id: string }[] };
    const ids = body.items.map((item) => item.item_id);
    shownSeen += ids.filter((id) => seen.get(user)!.has(id.slice(1))).length;
    lists.push(Int32Array.from(ids, (id) => itemIndex.get(id) ?? -1));
    relevant.push(new Set([...items].map((item) => itemIndex.get(`m${item}`)!)));
  }
  const product = evaluateRanking(lists, relevant, K, trainItems.size);
  console.log(
    `product (edge over HTTP): nDCG@${K} ${product.ndcg.toFixed(4)} over ${product.users} users ` +
      `(${((performance.now() - started) / 1000).toFixed(0)} s; ${shownSeen} already-rated items shown)`,
  );
  const ratio = product.ndcg / off.served.test.ndcg;
  const results = {
    product: { ndcg_at_10: product.ndcg, precision_at_10: product.precision },
    offline: { ndcg_at_10: off.served.test.ndcg, precision_at_10: off.served.test.precision },
    ratio,
    seen_items_shown: shownSeen,
    seen_set_bytes_per_user: seenSets.bytes,
  };
  console.log(JSON.stringify(results));
  console.log(`ratio ${ratio.toFixed(4)} (target ≥ 0.99)`);
  await mkdir(path.join(rootDir, "bench", "results"), { recursive: true });
  await writeFile(
    path.join(rootDir, "bench", "results", "product.json"),
    `${JSON.stringify(results, null, 2)}\n`,
  );
} finally {
  await edge.dispose();
  await origin.close();
  await rm(dir, { recursive: true, force: true });
}

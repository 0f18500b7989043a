import { readFile } from "node:fs/promises";
import path from "node:path";
import { mulberry32 } from "../../models/random.ts";
import { indexInteractions, parseMovieLensRatings } from "../../origin/train/datasets/interaction-log.ts";
import {
  buildCsr,
  EASE_DEFAULTS,
  RECS_EVALUATION_DEFAULTS,
  type RecsModelReport,
  splitPerUser,
  trainAndEvaluateRecs,
} from "../../origin/train/recs/index.ts";
import { type Check, fmt, int8Check, markdownTable, type SectionResult } from "./report.ts";

const SPLIT_SEED = 42;

function label(m: RecsModelReport): string {
  switch (m.name) {
    case "ease":
      return `EASE (λ=${m.params.lambda}, ${m.params.headItems} head items)`;
    case "ials":
      return `iALS (f=${m.params.factors}, λ=${m.params.lambda}, α=${m.params.alpha})`;
    case "trending":
      return `trending (half-life ${m.params.halfLifeDays} d)`;
    default:
      return m.name;
  }
}

export async function recsSection(dataDir: string): Promise<SectionResult> {
  const text = await readFile(path.join(dataDir, "movielens-small", "ratings.csv"), "utf8");
  const { log } = indexInteractions(parseMovieLensRatings(text));
  const all = buildCsr({ users: log.users, items: log.items, user: log.user, item: log.item });
  const { train, test } = splitPerUser(all, 0.25, mulberry32(SPLIT_SEED));
  // Trending sees only the events of training pairs, decayed from the newest of them.
  const trainPairs = new Set<number>();
  for (let u = 0; u < train.rows; u++) {
    for (let t = train.offsets[u]!; t < train.offsets[u + 1]!; t++) {
      trainPairs.add(u * train.cols + train.indices[t]!);
    }
  }
  const keep = log.user.map((u, e) => (trainPairs.has(u * train.cols + log.item[e]!) ? 1 : 0));
  const trainEvents = {
    item: log.item.filter((_, e) => keep[e] === 1),
    tsSeconds: log.tsSeconds.filter((_, e) => keep[e] === 1),
  };
  const result = await trainAndEvaluateRecs(train, test, trainEvents);
  const k = result.k;

  const pair = (a: number, b: number | undefined) =>
    `${fmt(a)} / ${b === undefined ? "(no weights)" : fmt(b)}`;
  const table = markdownTable(
    [
      "model",
      "train s",
      `P@${k} f32 / int8`,
      `R@${k} f32 / int8`,
      `nDCG@${k} f32 / int8`,
      `MAP@${k} f32 / int8`,
      "coverage",
    ],
    result.models.map((m) => [
      label(m),
      m.trainSeconds.toFixed(2),
      pair(m.float32.precision, m.int8?.precision),
      pair(m.float32.recall, m.int8?.recall),
      pair(m.float32.ndcg, m.int8?.ndcg),
      pair(m.float32.map, m.int8?.map),
      fmt(m.float32.coverage, 3),
    ]),
  );
  const checks: Check[] = [];
  const popularity = result.models[0]!.float32.ndcg;
  for (const m of result.models.filter((x) => x.int8)) {
    for (const metric of ["precision", "recall", "ndcg", "map"] as const) {
      checks.push(int8Check(`${label(m)} ${metric}@${k}`, m.float32[metric], m.int8![metric]));
    }
    checks.push({
      name: `${label(m)} beats popularity by ≥ 20 % nDCG@${k}`,
      ok: m.int8!.ndcg >= popularity * 1.2,
      detail: `${fmt(m.int8!.ndcg)} vs ${fmt(popularity)}`,
    });
  }
  const d = RECS_EVALUATION_DEFAULTS;
  const notes = [
    `MovieLens-small: every rating counts as an interaction; per-user random 75/25 split (seed ${SPLIT_SEED}); ${all.rows} users, ${all.cols} items, ${train.indices.length} train / ${test.indices.length} test interactions; seen items removed; k = ${k}.`,
    `Hyper-parameters chosen on an inner 80/20 split of the training part only: EASE λ ∈ {${d.easeLambdas.join(", ")}} (${result.tuneSeconds.ease.toFixed(1)} s); iALS λ ∈ {3, 10, 30} × α ∈ {1, 3, 10} at f = 32, then f ∈ {${d.mfFactors.join(", ")}} (${result.tuneSeconds.mf.toFixed(1)} s). "train s" is the final fit on the whole training part.`,
    `EASE covers the ${result.ease.items.length} most-interacted items (at most ${EASE_DEFAULTS.maxItems}, ≥ ${EASE_DEFAULTS.minCount} interactions): its dense float64 solve grows with the cube of the item count; tail items and users without a head item fall back to popularity. f32 / int8 are onnxruntime-web (Node, wasm) runs of the exported ONNX models.`,
  ];
  return {
    title: "Recommendations",
    table: `${notes.join("\n")}\n\n${table}`,
    checks,
    figures: {
      models: result.models,
      tuneSeconds: result.tuneSeconds,
      easeTrials: result.easeTrials.map((t) => ({
        lambda: t.params,
        ndcg: t.metrics.ndcg,
        seconds: t.trainSeconds,
      })),
      mfTrials: result.mfTrials.map((t) => ({ ...t.params, ndcg: t.metrics.ndcg, seconds: t.trainSeconds })),
    },
  };
}

import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import type { ColumnMapping, CsvOptions } from "../../ingest/index.ts";
import {
  buildCsr,
  type ClassificationMetrics,
  type CsrMatrix,
  indexInteractions,
  parseLabelledTableCsv,
  parseLabelledTextCsv,
  type RankingMetrics,
  trainAndEvaluateBehaviour,
  trainAndEvaluateRecs,
  trainAndEvaluateSentiment,
} from "../../train/index.ts";
import {
  columnMappingFrom,
  columnMappingOptions,
  columnMappingUsage,
  hasColumnMapping,
} from "../column-mapping-options.ts";
import { type Command, UsageError } from "../command.ts";
import { type DroppedRows, keepKnown, readEvalInteractions } from "../eval-interactions.ts";

const usage = `usage: edgewise eval recs --train FILE --test FILE [--k 10] [column mapping] [--json]
       edgewise eval sentiment --train FILE --test FILE [--json]
       edgewise eval behaviour --train FILE --test FILE [--label churn] [--json]

Trains on --train, evaluates on --test and prints the metrics (a table, or one JSON object with --json).
Hyper-parameters are chosen on an inner split of --train only. Every exported model is scored through
onnxruntime-web twice, float32 and int8, next to its baseline.

  recs       CSV or Parquet with a column mapping (below; both files use it), MovieLens ratings.csv
             (known by its header), or NDJSON ingestion records; every interaction with an item
             counts. Trains popularity, trending, EASE and iALS, removes each user's training items
             from their lists, reports P@k, R@k, nDCG@k, MAP@k and coverage. Rows that can't be read,
             and test rows whose user or item --train lacks, are dropped and reported by reason, the
             first with their line.
  sentiment  CSV with a text column (review|text|sentence) and a label column (score|label|sentiment:
             great/positive/1 vs other/negative/0). Baseline: the AFINN-165 lexicon.
  behaviour  CSV with a binary --label column (yes/no, 1/0) and feature columns (numeric when every value
             is a number, categorical otherwise). Baseline: the majority class.

${columnMappingUsage}`;

function pct(a: number, b: number | undefined): string {
  return b === undefined ? `${a.toFixed(4)}` : `${a.toFixed(4)} / ${b.toFixed(4)}`;
}

async function evalRecs(
  trainFile: string,
  testFile: string,
  k: number,
  mapping?: { mapping: ColumnMapping; csv: CsvOptions },
) {
  const trainRows = await readEvalInteractions(trainFile, mapping);
  const testRows = keepKnown(await readEvalInteractions(testFile, mapping), trainRows.rows);
  const { log: trainLog } = indexInteractions(trainRows.rows);
  const { log: testLog, dropped } = indexInteractions(testRows.rows, trainLog);
  const dims = { users: trainLog.users, items: trainLog.items };
  const train = buildCsr({ ...dims, user: trainLog.user, item: trainLog.item });
  const rawTest = buildCsr({ ...dims, user: testLog.user, item: testLog.item });
  const { test, alreadySeen } = withoutSeen(rawTest, train);
  const result = await trainAndEvaluateRecs(
    train,
    test,
    { item: trainLog.item, tsSeconds: trainLog.tsSeconds },
    { k },
  );
  return {
    task: "recs" as const,
    k,
    train: {
      users: train.rows,
      items: train.cols,
      interactions: train.indices.length,
      dropped: trainRows.dropped,
    },
    test: {
      interactions: test.indices.length,
      droppedUnknownUserOrItem:
        dropped +
        (testRows.dropped.counts["user not in --train"] ?? 0) +
        (testRows.dropped.counts["item not in --train"] ?? 0),
      droppedAlreadyInTrain: alreadySeen,
      dropped: testRows.dropped,
    },
    models: result.models,
  };
}

/** Test pairs the user already had in train cannot be recommended (seen items are removed): drop them. */
function withoutSeen(test: CsrMatrix, train: CsrMatrix): { test: CsrMatrix; alreadySeen: number } {
  const offsets = new Int32Array(test.rows + 1);
  const indices: number[] = [];
  let alreadySeen = 0;
  for (let u = 0; u < test.rows; u++) {
    const seen = new Set(train.indices.subarray(train.offsets[u]!, train.offsets[u + 1]!));
    for (let t = test.offsets[u]!; t < test.offsets[u + 1]!; t++) {
      if (seen.has(test.indices[t]!)) {
        alreadySeen++;
      } else {
        indices.push(test.indices[t]!);
      }
    }
    offsets[u + 1] = indices.length;
  }
  const kept = Int32Array.from(indices);
  return {
    test: {
      rows: test.rows,
      cols: test.cols,
      offsets,
      indices: kept,
      values: new Float32Array(kept.length).fill(1),
    },
    alreadySeen,
  };
}

async function evalSentiment(trainFile: string, testFile: string) {
  const train = parseLabelledTextCsv(await readFile(trainFile, "utf8"));
  const test = parseLabelledTextCsv(await readFile(testFile, "utf8"));
  const r = await trainAndEvaluateSentiment(train, test);
  return {
    task: "sentiment" as const,
    train: { texts: train.texts.length },
    test: { texts: test.texts.length },
    lexicon: r.lexicon,
    model: { float32: r.float32, int8: r.int8, trainSeconds: r.trainSeconds, modelBytes: r.modelBytes },
    chosenL2: r.trials.reduce((a, b) => (b.validationLogLoss < a.validationLogLoss ? b : a)).options.l2,
  };
}

async function evalBehaviour(trainFile: string, testFile: string, label: string) {
  const train = parseLabelledTableCsv(await readFile(trainFile, "utf8"), label);
  const test = parseLabelledTableCsv(await readFile(testFile, "utf8"), label, train);
  const r = await trainAndEvaluateBehaviour(train, test, train);
  return {
    task: "behaviour" as const,
    label,
    train: { rows: train.rows.length, numeric: train.numeric, categorical: train.categorical },
    test: { rows: test.rows.length },
    majority: r.majority,
    model: { float32: r.float32, int8: r.int8, trainSeconds: r.trainSeconds },
  };
}

function printDropped(file: string, dropped: DroppedRows): void {
  for (const [reason, count] of Object.entries(dropped.counts)) {
    console.log(`${file}: dropped ${count} rows: ${reason}`);
  }
  for (const example of dropped.examples) {
    console.log(`  ${example}`);
  }
}

function printRecs(r: Awaited<ReturnType<typeof evalRecs>>): void {
  printDropped("--train", r.train.dropped);
  printDropped("--test", r.test.dropped);
  console.log(
    `train ${r.train.users} users × ${r.train.items} items, ${r.train.interactions} interactions; test ${r.test.interactions} (dropped ${r.test.droppedUnknownUserOrItem} unknown, ${r.test.droppedAlreadyInTrain} already in train)`,
  );
  console.log(
    `model        train s   P@${r.k}  R@${r.k}  nDCG@${r.k}  MAP@${r.k}  (float32 / int8)   coverage`,
  );
  for (const m of r.models) {
    const show = (metric: keyof Omit<RankingMetrics, "users" | "k" | "coverage">) =>
      pct(m.float32[metric], m.int8?.[metric]);
    console.log(
      `${m.name.padEnd(12)} ${m.trainSeconds.toFixed(2).padStart(7)}   ${show("precision")}  ${show("recall")}  ${show("ndcg")}  ${show("map")}   ${m.float32.coverage.toFixed(3)}`,
    );
  }
}

function printClassifier(
  name: string,
  baseline: string,
  b: ClassificationMetrics,
  f: ClassificationMetrics,
  i: ClassificationMetrics,
): void {
  console.log(`${name}: accuracy, F1, ROC-AUC, log-loss`);
  const row = (m: ClassificationMetrics) =>
    `${m.accuracy.toFixed(4)}  ${m.f1.toFixed(4)}  ${m.rocAuc.toFixed(4)}  ${Number.isNaN(m.logLoss) ? "–" : m.logLoss.toFixed(4)}`;
  console.log(`  ${baseline.padEnd(16)} ${row(b)}`);
  console.log(`  ${"model float32".padEnd(16)} ${row(f)}`);
  console.log(`  ${"model int8".padEnd(16)} ${row(i)}`);
}

/** `edgewise eval …` as a plain function (the registry calls it through evalCommand). */
export async function runEval(args: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      train: { type: "string" },
      test: { type: "string" },
      k: { type: "string", default: "10" },
      label: { type: "string", default: "churn" },
      json: { type: "boolean", default: false },
      ...columnMappingOptions,
    },
  });
  const task = positionals[0];
  if (positionals.length !== 1 || (task !== "recs" && task !== "sentiment" && task !== "behaviour")) {
    throw new UsageError("name one task: recs, sentiment or behaviour");
  }
  if (!values.train || !values.test) {
    throw new UsageError("--train FILE and --test FILE are required");
  }
  const k = Number(values.k);
  if (!Number.isInteger(k) || k < 1) {
    throw new UsageError("--k must be a positive integer");
  }
  const mapped = hasColumnMapping(values);
  if (mapped && task !== "recs") {
    throw new UsageError("a column mapping applies to eval recs");
  }
  if (task === "recs") {
    const mapping = mapped ? columnMappingFrom(values, { requireTime: false }) : undefined;
    const r = await evalRecs(values.train, values.test, k, mapping);
    values.json ? console.log(JSON.stringify(r)) : printRecs(r);
  } else if (task === "sentiment") {
    const r = await evalSentiment(values.train, values.test);
    values.json
      ? console.log(JSON.stringify(r))
      : printClassifier("sentiment", "AFINN lexicon", r.lexicon, r.model.float32, r.model.int8);
  } else {
    const r = await evalBehaviour(values.train, values.test, values.label);
    values.json
      ? console.log(JSON.stringify(r))
      : printClassifier(
          `behaviour (${r.label})`,
          "majority class",
          r.majority,
          r.model.float32,
          r.model.int8,
        );
  }
  return 0;
}

export const evalCommand: Command = {
  summary: "train on one file and evaluate on another: recs | sentiment | behaviour",
  usage,
  run: runEval,
};

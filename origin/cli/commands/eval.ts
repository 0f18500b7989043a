import { readFile } from "node:fs/promises";
import { parseArgs } from "node:util";
import { loadOriginConfig } from "../../config.ts";
import type { ColumnMapping, CsvOptions } from "../../ingest/index.ts";
import {
  type ClassificationMetrics,
  evaluateRecsFiles,
  parseLabelledTableCsv,
  parseLabelledTextCsv,
  type RankingMetrics,
  trainAndEvaluateBehaviour,
  trainAndEvaluateSentiment,
  trainingCycleSettings,
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
Hyper-parameters are chosen on an inner split of --train only.

  recs       CSV or Parquet with a column mapping (below; both files use it), MovieLens ratings.csv
             (known by its header), or NDJSON ingestion records. Rows that can't be read are dropped and
             reported by reason, the first with their line. Runs the
             training pipeline's recommender step with the pipeline's settings (the same tuning of iALS
             and EASE, confidence transform, baseline gate against popularity, TRAIN_THREADS) and scores
             the model it would serve as the edge does: int8 vectors, every training item of the user
             excluded, every item a candidate. Reports P@k, R@k, nDCG@k, MAP@k and coverage next to
             popularity, the tuning trials and times. Test rows of users or items absent from --train
             cannot be scored: they are counted and reported. Sentiment and behaviour models are scored
             through onnxruntime-web twice, float32 and int8, next to their baselines.
  sentiment  CSV with a text column (review|text|sentence) and a label column (score|label|sentiment:
             great/positive/1 vs other/negative/0). Baseline: the AFINN-165 lexicon.
  behaviour  CSV with a binary --label column (yes/no, 1/0) and feature columns (numeric when every value
             is a number, categorical otherwise). Baseline: the majority class.

${columnMappingUsage}`;

async function evalRecs(
  trainFile: string,
  testFile: string,
  k: number,
  mapping?: { mapping: ColumnMapping; csv: CsvOptions },
) {
  const trainRows = await readEvalInteractions(trainFile, mapping);
  const testRows = await readEvalInteractions(testFile, mapping);
  // The pipeline's own settings (BASELINE_MARGIN, TRAIN_THREADS…), so this is the served model's figure.
  const recs = trainingCycleSettings(loadOriginConfig()).pipeline.recs ?? {};
  const result = evaluateRecsFiles(trainRows.rows, testRows.rows, { ...recs, k });
  return {
    task: "recs" as const,
    ...result,
    train: { ...result.train, interactions: result.train.pairs, dropped: trainRows.dropped },
    // keepKnown names each test row no model can score (user or item not in --train) with its line.
    test: { ...result.test, dropped: keepKnown(testRows, trainRows.rows).dropped },
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
  const t = r.test;
  console.log(
    `train ${r.train.users} users × ${r.train.items} items, ${r.train.events} events (${r.train.pairs} pairs); ` +
      `test ${t.rows} rows → ${t.pairs} pairs scored for ${t.usersEvaluated} users`,
  );
  console.log(
    `  not scorable: ${t.unknownUserRows} rows of users not in training, ${t.unseenItemRows} rows of ` +
      `${t.unseenItems} items not in training; ${t.alreadyInTrain} pairs already in training (seen, never recommended)`,
  );
  console.log(
    `tuning: ${r.tuning.fits} fits on ${r.tuning.tunedUsers} users, ${r.tuning.tuneSeconds.toFixed(1)} s; final fit ${r.tuning.fitSeconds.toFixed(1)} s`,
  );
  for (const trial of r.tuning.trials) {
    console.log(`  ${trial.ndcg.toFixed(4)}  ${trial.model}`);
  }
  console.log(`served: ${r.served.model}${r.served.refused ? ` (refused: ${r.served.refused})` : ""}`);
  console.log(`model        P@${r.k}    R@${r.k}    nDCG@${r.k}  MAP@${r.k}   coverage`);
  const row = (name: string, m: RankingMetrics) =>
    console.log(
      `${name.padEnd(12)} ${m.precision.toFixed(4)}  ${m.recall.toFixed(4)}  ${m.ndcg.toFixed(4)}   ${m.map.toFixed(4)}  ${m.coverage.toFixed(3)}`,
    );
  row("served", r.served.test);
  row("popularity", r.popularity.test);
  for (const note of r.notes) {
    console.log(`note: ${note}`);
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

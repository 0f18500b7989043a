import { readFile } from "node:fs/promises";
import path from "node:path";
import { mulberry32 } from "../../models/random.ts";
import { trainAndEvaluateBehaviour } from "../../origin/train/behaviour/index.ts";
import { parseLabelledTableCsv } from "../../origin/train/datasets/labelled-table.ts";
import type { ClassificationMetrics } from "../../origin/train/evaluation/index.ts";
import { stratifiedSplit } from "../../origin/train/linear/index.ts";
import { type Check, fmt, int8Check, markdownTable, type SectionResult } from "./report.ts";

const SPLIT_SEED = 42;

export async function behaviourSection(dataDir: string): Promise<SectionResult> {
  const table = parseLabelledTableCsv(
    await readFile(path.join(dataDir, "wa_churn_telco.csv"), "utf8"),
    "churn",
  );
  const split = stratifiedSplit(table.labels, 0.25, mulberry32(SPLIT_SEED));
  const part = (rows: Int32Array) => ({
    rows: Array.from(rows, (r) => table.rows[r]!),
    labels: Uint8Array.from(rows, (r) => table.labels[r]!),
  });
  const r = await trainAndEvaluateBehaviour(part(split.train), part(split.validation), table);

  const both = (a: number, b: number | undefined) =>
    `${fmt(a)} / ${b === undefined ? "(no weights)" : fmt(b)}`;
  const row = (name: string, s: number, a: ClassificationMetrics, b?: ClassificationMetrics) => [
    name,
    s.toFixed(2),
    both(a.rocAuc, b?.rocAuc),
    both(a.accuracy, b?.accuracy),
    both(a.f1, b?.f1),
    both(a.logLoss, b?.logLoss),
  ];
  const out = markdownTable(
    ["model", "train s", "ROC-AUC f32 / int8", "accuracy f32 / int8", "F1 f32 / int8", "log-loss f32 / int8"],
    [
      row(`majority class (constant P(churn) = ${r.majority.probability.toFixed(3)})`, 0, r.majority),
      row(
        `logistic regression (${r.model.classifier.dim} encoded features)`,
        r.trainSeconds,
        r.float32,
        r.int8,
      ),
    ],
  );
  const notes = `Telco churn (${table.rows.length} customers, stratified 75/25 split, seed ${SPLIT_SEED}; ${table.numeric.length} numeric columns standardised, ${table.categorical.length} categorical one-hot). L2 chosen on an inner split of train (validation log-loss ${r.trials.map((t) => `${t.options.l2}: ${fmt(t.validationLogLoss, 3)}`).join(", ")}).`;
  const checks: Check[] = [
    int8Check("churn ROC-AUC", r.float32.rocAuc, r.int8.rocAuc),
    int8Check("churn accuracy", r.float32.accuracy, r.int8.accuracy),
    {
      name: "churn beats the majority class by ≥ 0.2 ROC-AUC and in log-loss",
      ok: r.int8.rocAuc >= r.majority.rocAuc + 0.2 && r.int8.logLoss < r.majority.logLoss,
      detail: `AUC ${fmt(r.int8.rocAuc)} vs ${fmt(r.majority.rocAuc)}, log-loss ${fmt(r.int8.logLoss)} vs ${fmt(r.majority.logLoss)}`,
    },
  ];
  return {
    title: "Behaviour (churn probability)",
    table: `${notes}\n\n${out}`,
    checks,
    figures: {
      majority: r.majority,
      float32: r.float32,
      int8: r.int8,
      trainSeconds: r.trainSeconds,
      trials: r.trials,
    },
  };
}

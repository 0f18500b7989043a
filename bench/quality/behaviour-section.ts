import { readFile } from "node:fs/promises";
import path from "node:path";
import { mulberry32 } from "../../models/random.ts";
import {
  type BehaviourEvaluation,
  type BehaviourLearner,
  trainAndEvaluateBehaviour,
} from "../../origin/train/behaviour/index.ts";
import { parseLabelledTableCsv } from "../../origin/train/datasets/labelled-table.ts";
import type { ClassificationMetrics } from "../../origin/train/evaluation/index.ts";
import { stratifiedSplit } from "../../origin/train/linear/index.ts";
import { type Check, fmt, int8Check, markdownTable, type SectionResult } from "./report.ts";

const SPLIT_SEED = 42;
const LEARNERS: readonly BehaviourLearner[] = ["logistic", "gbdt"];

/**
 * Churn probability on the Telco set: logistic regression and gradient-boosted trees trained apart on
 * the same split (each tuned on the same inner validation split), and the one the pipeline would serve:
 * the lower validation log-loss of the two.
 */
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
  const results = new Map<BehaviourLearner, BehaviourEvaluation>();
  for (const learner of LEARNERS) {
    results.set(
      learner,
      await trainAndEvaluateBehaviour(part(split.train), part(split.validation), {
        ...table,
        learners: [learner],
      }),
    );
  }
  const logistic = results.get("logistic")!;
  const gbdt = results.get("gbdt")!;
  const bestLoss = (r: BehaviourEvaluation) => Math.min(...r.trials.map((t) => t.validationLogLoss));
  const chosen: BehaviourLearner = bestLoss(gbdt) < bestLoss(logistic) ? "gbdt" : "logistic";

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
  const describe = (r: BehaviourEvaluation) => {
    const best = r.trials.reduce((a, b) => (b.validationLogLoss < a.validationLogLoss ? b : a));
    return Object.entries(best.settings)
      .map(([key, value]) => `${key} ${value}`)
      .join(", ");
  };
  const out = markdownTable(
    ["model", "train s", "ROC-AUC f32 / int8", "accuracy f32 / int8", "F1 f32 / int8", "log-loss f32 / int8"],
    [
      row(
        `majority class (constant P(churn) = ${logistic.majority.probability.toFixed(3)})`,
        0,
        logistic.majority,
      ),
      row(
        `logistic regression (${describe(logistic)})`,
        logistic.trainSeconds,
        logistic.float32,
        logistic.int8,
      ),
      row(`gradient-boosted trees (${describe(gbdt)})`, gbdt.trainSeconds, gbdt.float32, gbdt.int8),
    ],
  );
  const notes = [
    `Telco churn (${table.rows.length} customers, stratified 75/25 split, seed ${SPLIT_SEED}; ${table.numeric.length} numeric columns standardised, ${table.categorical.length} categorical one-hot). Each learner's settings are chosen on the same inner validation split of train (lowest log-loss); on that split the pipeline would serve **${chosen === "gbdt" ? "the trees" : "the logistic regression"}** (validation log-loss ${fmt(bestLoss(logistic), 4)} logistic, ${fmt(bestLoss(gbdt), 4)} trees).`,
    `int8: the logistic model's weights in int8; the trees' leaf values rounded to an int8 grid (ONNX TreeEnsemble attributes stay float32, so the trees' bytes do not shrink: ${(gbdt.modelBytes.float32 / 1024).toFixed(1)} KB either way, against ${(logistic.modelBytes.float32 / 1024).toFixed(1)} / ${(logistic.modelBytes.int8 / 1024).toFixed(1)} KB for the logistic model). The pipeline serves trees in float32.`,
  ];
  const served = results.get(chosen)!;
  const checks: Check[] = [
    int8Check("churn ROC-AUC, logistic", logistic.float32.rocAuc, logistic.int8.rocAuc),
    int8Check("churn ROC-AUC, trees", gbdt.float32.rocAuc, gbdt.int8.rocAuc),
    int8Check("churn accuracy, logistic", logistic.float32.accuracy, logistic.int8.accuracy),
    {
      name: "the model chosen for churn beats the majority class by ≥ 0.2 ROC-AUC and in log-loss",
      ok:
        served.float32.rocAuc >= served.majority.rocAuc + 0.2 &&
        served.float32.logLoss < served.majority.logLoss,
      detail: `${chosen}: AUC ${fmt(served.float32.rocAuc)} vs ${fmt(served.majority.rocAuc)}, log-loss ${fmt(served.float32.logLoss)} vs ${fmt(served.majority.logLoss)}`,
    },
  ];
  const figures = (r: BehaviourEvaluation) => ({
    float32: r.float32,
    int8: r.int8,
    trainSeconds: r.trainSeconds,
    trials: r.trials,
    modelBytes: r.modelBytes,
  });
  return {
    title: "Behaviour (churn probability)",
    table: `${notes.join("\n")}\n\n${out}`,
    checks,
    figures: { majority: logistic.majority, logistic: figures(logistic), gbdt: figures(gbdt), chosen },
  };
}

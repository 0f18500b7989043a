import { readFile } from "node:fs/promises";
import path from "node:path";
import { parseLabelledTextCsv } from "../../origin/train/datasets/labelled-text.ts";
import type { ClassificationMetrics } from "../../origin/train/evaluation/index.ts";
import {
  exportSentimentModel,
  predictSentimentWithOnnx,
  trainAndEvaluateSentiment,
} from "../../origin/train/sentiment/index.ts";
import { type Check, fmt, int8Check, markdownTable, type SectionResult } from "./report.ts";

/** Short sentences from outside food reviews: the model must read them right, not just the test set. */
const SHORT_SENTENCES: readonly [string, 0 | 1][] = [
  ["I love it", 1],
  ["this is terrible", 0],
  ["Absolutely wonderful service, thank you!", 1],
  ["The hotel room was dirty and the staff were rude.", 0],
  ["Best purchase I made this year.", 1],
  ["not good at all", 0],
  ["What a waste of money.", 0],
  ["Great phone, the battery lasts for days.", 1],
  ["I hate waiting in line.", 0],
  ["The movie was fantastic.", 1],
];

export async function sentimentSection(dataDir: string): Promise<SectionResult> {
  const dir = path.join(dataDir, "fine-foods");
  const train = parseLabelledTextCsv(await readFile(path.join(dir, "train.csv"), "utf8"));
  const test = parseLabelledTextCsv(await readFile(path.join(dir, "test.csv"), "utf8"));
  const r = await trainAndEvaluateSentiment(train, test);

  const shortP = await predictSentimentWithOnnx(
    exportSentimentModel(r.model, "int8"),
    r.model,
    SHORT_SENTENCES.map(([t]) => t),
  );
  const shortRight = SHORT_SENTENCES.filter(([, label], i) => (shortP[i]! >= 0.5 ? 1 : 0) === label).length;

  const both = (a: number, b: number | undefined) =>
    `${fmt(a)} / ${b === undefined ? "(no weights)" : fmt(b)}`;
  const row = (name: string, s: number, a: ClassificationMetrics, b?: ClassificationMetrics) => [
    name,
    s.toFixed(2),
    both(a.accuracy, b?.accuracy),
    both(a.f1, b?.f1),
    both(a.rocAuc, b?.rocAuc),
    both(a.logLoss, b?.logLoss),
  ];
  const dim = 2 ** r.model.spec.hashBits;
  const table = markdownTable(
    ["model", "train s", "accuracy f32 / int8", "F1 f32 / int8", "ROC-AUC f32 / int8", "log-loss f32 / int8"],
    [
      row(`AFINN-165 lexicon (threshold ${r.baseline.threshold.toFixed(3)} fitted on train)`, 0, r.lexicon),
      row(
        `hashed n-grams + lexicon → logistic (2^${r.model.spec.hashBits} buckets)`,
        r.trainSeconds,
        r.float32,
        r.int8,
      ),
    ],
  );
  const shortLines = SHORT_SENTENCES.map(
    ([t, label], i) => `  ${label ? "+" : "-"} ${shortP[i]!.toFixed(2)}  ${t}`,
  );
  const notes = [
    `Fine-foods (${train.texts.length} train / ${test.texts.length} test reviews; label "great" = 5 stars, else "other"; ${fmt(r.float32.positiveRate, 3)} positive in test). L2 chosen on an inner split of train (validation log-loss ${r.trials.map((t) => `${t.options.l2}: ${fmt(t.validationLogLoss, 3)}`).join(", ")}).`,
    `Model: ${dim} weights; ONNX ${(r.modelBytes.float32 / 1024).toFixed(0)} KB in float32, ${(r.modelBytes.int8 / 1024).toFixed(0)} KB in int8; input a dense [N, ${dim}] float32 vector (${(dim * 4) / 1024} KB per text). The lexicon's log-loss is undefined (hard 0/1 predictions); its ROC-AUC ranks by its raw score.`,
  ];
  const checks: Check[] = [
    int8Check("sentiment accuracy", r.float32.accuracy, r.int8.accuracy),
    int8Check("sentiment F1", r.float32.f1, r.int8.f1),
    int8Check("sentiment ROC-AUC", r.float32.rocAuc, r.int8.rocAuc),
    {
      name: "sentiment beats the lexicon by ≥ 3 points of accuracy and F1",
      ok: r.int8.accuracy >= r.lexicon.accuracy + 0.03 && r.int8.f1 >= r.lexicon.f1 + 0.03,
      detail: `accuracy ${fmt(r.int8.accuracy)} vs ${fmt(r.lexicon.accuracy)}, F1 ${fmt(r.int8.f1)} vs ${fmt(r.lexicon.f1)}`,
    },
    {
      name: "sentiment reads short sentences from other domains (≥ 9 of 10)",
      ok: shortRight >= 9,
      detail: `${shortRight} / ${SHORT_SENTENCES.length} right (int8 model)`,
    },
  ];
  return {
    title: "Sentiment",
    table: `${notes.join("\n")}\n\n${table}\n\nShort sentences, int8 model (label, P(positive), text):\n${shortLines.join("\n")}`,
    checks,
    figures: {
      lexicon: r.lexicon,
      float32: r.float32,
      int8: r.int8,
      trainSeconds: r.trainSeconds,
      trials: r.trials,
      modelBytes: r.modelBytes,
      shortRight,
    },
  };
}

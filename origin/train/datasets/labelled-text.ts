import { parseCsvWithHeader } from "./csv.ts";

export interface LabelledTexts {
  texts: string[];
  /** 1 for the positive class */
  labels: Uint8Array;
}

const TEXT_COLUMNS = ["review", "text", "sentence"];
const LABEL_COLUMNS = ["score", "label", "sentiment"];
const POSITIVE_VALUES = new Set(["great", "positive", "pos", "1", "yes", "true"]);
const NEGATIVE_VALUES = new Set(["other", "negative", "neg", "0", "no", "false"]);

/**
 * A CSV of texts and binary labels: the fine-foods layout (`review`, `score` = great | other) or any file
 * with a text column (review | text | sentence) and a label column (score | label | sentiment) whose values
 * are great/positive/pos/1/yes/true or other/negative/neg/0/no/false. Unknown label values are an error.
 */
export function parseLabelledTextCsv(text: string): LabelledTexts {
  const { header, rows } = parseCsvWithHeader(text);
  const lower = header.map((h) => h.toLowerCase());
  const t = lower.findIndex((h) => TEXT_COLUMNS.includes(h));
  const l = lower.findIndex((h) => LABEL_COLUMNS.includes(h));
  if (t < 0 || l < 0) {
    throw new Error(
      `labelled text CSV needs a text column (${TEXT_COLUMNS.join("|")}) and a label column (${LABEL_COLUMNS.join("|")}); got ${header.join(", ")}`,
    );
  }
  const labels = new Uint8Array(rows.length);
  rows.forEach((row, index) => {
    const value = row[l]!.trim().toLowerCase();
    if (POSITIVE_VALUES.has(value)) {
      labels[index] = 1;
    } else if (!NEGATIVE_VALUES.has(value)) {
      throw new Error(`row ${index + 2}: label "${row[l]}" is neither positive nor negative`);
    }
  });
  return { texts: rows.map((row) => row[t]!), labels };
}

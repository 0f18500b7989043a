import type { TabularRow } from "../../../models/features/index.ts";
import { columnIndex, parseCsvWithHeader } from "./csv.ts";

export interface LabelledTable {
  rows: TabularRow[];
  labels: Uint8Array;
  /** feature columns whose every non-empty value parses as a number */
  numeric: string[];
  /** the other feature columns */
  categorical: string[];
}

const POSITIVE = new Set(["yes", "1", "true", "churn", "positive"]);
const NEGATIVE = new Set(["no", "0", "false", "negative"]);

/**
 * A CSV with one binary label column (e.g. the Telco set's `churn` = Yes/No) and feature columns whose kind
 * is inferred: numeric when every non-empty value is a number (empty/NA = missing), categorical otherwise.
 * `schemaFrom` reuses another table's column kinds, so a test file is read exactly like its training file.
 */
export function parseLabelledTableCsv(
  text: string,
  labelColumn: string,
  schemaFrom?: Pick<LabelledTable, "numeric" | "categorical">,
): LabelledTable {
  const { header, rows: raw } = parseCsvWithHeader(text);
  const label = columnIndex(header, labelColumn);
  const features = header.filter((_, i) => i !== label);
  const isMissing = (v: string) => v === "" || v === "NA" || v === "NaN";
  let numeric: string[];
  let categorical: string[];
  if (schemaFrom) {
    numeric = schemaFrom.numeric;
    categorical = schemaFrom.categorical;
    for (const name of [...numeric, ...categorical]) {
      columnIndex(header, name);
    }
  } else {
    numeric = features.filter((name) => {
      const c = header.indexOf(name);
      return raw.every((r) => isMissing(r[c]!) || Number.isFinite(Number(r[c])));
    });
    categorical = features.filter((name) => !numeric.includes(name));
  }
  const labels = new Uint8Array(raw.length);
  const rows = raw.map((r, index) => {
    const value = r[label]!.trim().toLowerCase();
    if (POSITIVE.has(value)) {
      labels[index] = 1;
    } else if (!NEGATIVE.has(value)) {
      throw new Error(
        `row ${index + 2}: label ${labelColumn}="${r[label]}" is not yes/no, 1/0 or true/false`,
      );
    }
    const row: Record<string, string | number | null> = {};
    for (const name of numeric) {
      const v = r[header.indexOf(name)]!;
      row[name] = isMissing(v) ? null : Number(v);
    }
    for (const name of categorical) {
      const v = r[header.indexOf(name)]!;
      row[name] = isMissing(v) ? null : v;
    }
    return row;
  });
  return { rows, labels, numeric, categorical };
}

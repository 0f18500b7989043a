import { z } from "zod";
import { ownEntry } from "../own-entry.ts";

/**
 * Tabular features → one fixed-width float vector, identically at the origin (training) and at the edge
 * (scoring a live user/session): numeric columns standardised with the training mean and standard deviation
 * (a missing value becomes the mean, i.e. 0), categorical columns one-hot over the categories seen in
 * training (an unseen or missing category is all zeros). The spec is plain JSON and ships in the manifest.
 */
export const NumericColumn = z.object({
  name: z.string().min(1),
  kind: z.literal("numeric"),
  mean: z.number(),
  /** > 0; a constant column gets 1 so it encodes to 0 */
  std: z.number().positive(),
});
export const CategoricalColumn = z.object({
  name: z.string().min(1),
  kind: z.literal("categorical"),
  categories: z.array(z.string()),
});
export const TabularColumn = z.discriminatedUnion("kind", [NumericColumn, CategoricalColumn]);
export const TabularEncoderSpec = z.object({ columns: z.array(TabularColumn).min(1) });
export type TabularColumn = z.infer<typeof TabularColumn>;
export type TabularEncoderSpec = z.infer<typeof TabularEncoderSpec>;

export type TabularValue = string | number | boolean | null | undefined;
export type TabularRow = Readonly<Record<string, TabularValue>>;

/** A value as the encoder reads a numeric column (NaN: missing or not a number). */
export function asNumber(value: TabularValue): number {
  if (typeof value === "number") {
    return value;
  }
  if (typeof value === "boolean") {
    return value ? 1 : 0;
  }
  if (typeof value === "string" && value.trim() !== "") {
    return Number(value);
  }
  return Number.NaN;
}

/** A value as the encoder reads a categorical column (undefined: missing). */
export function asCategory(value: TabularValue): string | undefined {
  return value === null || value === undefined || value === "" ? undefined : String(value);
}

export function fitTabularEncoder(
  rows: readonly TabularRow[],
  columns: { numeric: readonly string[]; categorical: readonly string[] },
): TabularEncoderSpec {
  const out: TabularColumn[] = [];
  for (const name of columns.numeric) {
    let sum = 0;
    let sumSq = 0;
    let n = 0;
    for (const row of rows) {
      const v = asNumber(ownEntry(row, name));
      if (Number.isFinite(v)) {
        sum += v;
        sumSq += v * v;
        n++;
      }
    }
    const mean = n === 0 ? 0 : sum / n;
    const variance = n === 0 ? 0 : Math.max(0, sumSq / n - mean * mean);
    out.push({ name, kind: "numeric", mean, std: variance > 1e-12 ? Math.sqrt(variance) : 1 });
  }
  for (const name of columns.categorical) {
    const seen = new Set<string>();
    for (const row of rows) {
      const c = asCategory(ownEntry(row, name));
      if (c !== undefined) {
        seen.add(c);
      }
    }
    out.push({ name, kind: "categorical", categories: [...seen].sort() });
  }
  return { columns: out };
}

export function encodedWidth(spec: TabularEncoderSpec): number {
  let width = 0;
  for (const column of spec.columns) {
    width += column.kind === "numeric" ? 1 : column.categories.length;
  }
  return width;
}

/** Names of the encoded positions (`tenure`, `contract=One year`, …), for explanations and reports. */
export function encodedFeatureNames(spec: TabularEncoderSpec): string[] {
  return spec.columns.flatMap((c) =>
    c.kind === "numeric" ? [c.name] : c.categories.map((v) => `${c.name}=${v}`),
  );
}

/** Writes one row's encoding into out[offset .. offset + width). */
export function encodeRowInto(
  spec: TabularEncoderSpec,
  row: TabularRow,
  out: Float32Array,
  offset: number,
): void {
  let p = offset;
  for (const column of spec.columns) {
    if (column.kind === "numeric") {
      const v = asNumber(ownEntry(row, column.name));
      out[p++] = Number.isFinite(v) ? (v - column.mean) / column.std : 0;
    } else {
      const c = asCategory(ownEntry(row, column.name));
      const width = column.categories.length;
      for (let t = 0; t < width; t++) {
        out[p + t] = 0;
      }
      if (c !== undefined) {
        const index = column.categories.indexOf(c);
        if (index >= 0) {
          out[p + index] = 1;
        }
      }
      p += width;
    }
  }
}

/** Row-major [rows, width] encoding of a batch. */
export function encodeRows(spec: TabularEncoderSpec, rows: readonly TabularRow[]): Float32Array {
  const width = encodedWidth(spec);
  const out = new Float32Array(rows.length * width);
  rows.forEach((row, r) => {
    encodeRowInto(spec, row, out, r * width);
  });
  return out;
}

/**
 * The column-mapping flags that `ingest`, `import` and `eval recs` share: which columns hold the user, the
 * item, the time and the value, what the value means, and how the time is written.
 */
import {
  type ColumnMapping,
  type CsvOptions,
  TIME_FORMATS,
  type TimeFormat,
  VALUE_KINDS,
  type ValueKind,
} from "../ingest/index.ts";
import { UsageError } from "./command.ts";

export const columnMappingOptions = {
  "user-col": { type: "string" },
  "item-col": { type: "string" },
  "time-col": { type: "string" },
  "value-col": { type: "string" },
  "value-kind": { type: "string" },
  "time-format": { type: "string" },
  "assume-utc": { type: "boolean" },
  "id-col": { type: "string" },
  delimiter: { type: "string" },
  "no-header": { type: "boolean" },
} as const;

export const columnMappingUsage = `column mapping (CSV and Parquet):
  --user-col NAME     the user id column
  --item-col NAME     the item id column
  --time-col NAME     the event time column
  --value-col NAME    the value column, read as --value-kind says
  --value-kind KIND   rating (an explicit score) | count (how many times: plays, purchases; a confidence,
                      never a score; 0 is no interaction) | none (every row is one interaction; the
                      default without --value-col)
  --time-format F     auto (default) | iso | s | ms. auto: a number below 1e11 is epoch seconds, at or
                      above it epoch milliseconds (exact for every time from 1973 to 2100); other text
                      is ISO-8601 (2024-05-01T10:00:00Z, +02:00, a date alone is midnight UTC)
  --assume-utc        read ISO times without a zone as UTC (refused by default: their time is unknown)
  --id-col NAME       the source's own event id (default: an id derived from the row's fields, so a
                      rerun stores nothing twice)
  --delimiter C       CSV field separator (default , and a tab for .tsv; 'tab' for a tab)
  --no-header         the CSV has no header line: name columns by position, --user-col 1`;

export type ColumnMappingValues = {
  [K in keyof typeof columnMappingOptions]?: (typeof columnMappingOptions)[K]["type"] extends "boolean"
    ? boolean
    : string;
};

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if (!(allowed as readonly string[]).includes(value)) {
    throw new UsageError(`${flag} must be one of ${allowed.join(", ")}; got '${value}'`);
  }
  return value as T;
}

/** Whether any mapping flag was given (a file without them is read in its own known format). */
export function hasColumnMapping(values: ColumnMappingValues): boolean {
  return Object.keys(columnMappingOptions).some(
    (flag) => values[flag as keyof ColumnMappingValues] !== undefined,
  );
}

/**
 * The mapping the flags describe. `requireTime`: ingestion stores event times, so it needs --time-col;
 * evaluation does not.
 */
export function columnMappingFrom(
  values: ColumnMappingValues,
  { requireTime }: { requireTime: boolean },
): { mapping: ColumnMapping; csv: CsvOptions } {
  const userCol = values["user-col"];
  const itemCol = values["item-col"];
  if (userCol === undefined || itemCol === undefined) {
    throw new UsageError("a column mapping needs --user-col and --item-col");
  }
  const timeCol = values["time-col"];
  if (requireTime && timeCol === undefined) {
    throw new UsageError("--time-col is required: every stored event has a time");
  }
  const valueCol = values["value-col"];
  const kind = values["value-kind"];
  if (valueCol !== undefined && kind === undefined) {
    throw new UsageError(
      "say what --value-col holds with --value-kind rating|count|none (a play count is not a rating)",
    );
  }
  const valueKind: ValueKind = kind === undefined ? "none" : oneOf("--value-kind", kind, VALUE_KINDS);
  if (valueKind !== "none" && valueCol === undefined) {
    throw new UsageError(`--value-kind ${valueKind} needs --value-col`);
  }
  const format: TimeFormat = oneOf("--time-format", values["time-format"] ?? "auto", TIME_FORMATS);
  const delimiter = values.delimiter === "tab" || values.delimiter === "\\t" ? "\t" : values.delimiter;
  if (delimiter !== undefined && delimiter.length !== 1) {
    throw new UsageError(`--delimiter must be one character (or 'tab'); got '${values.delimiter}'`);
  }
  const mapping: ColumnMapping = {
    userCol,
    itemCol,
    valueKind,
    time: { format, assumeUtc: values["assume-utc"] === true },
    ...(timeCol === undefined ? {} : { timeCol }),
    ...(valueCol === undefined ? {} : { valueCol }),
    ...(values["id-col"] === undefined ? {} : { idCol: values["id-col"] }),
  };
  const csv: CsvOptions = {
    ...(delimiter === undefined ? {} : { delimiter }),
    ...(values["no-header"] ? { header: false } : {}),
  };
  return { mapping, csv };
}

/**
 * What `edgewise ingest` and `edgewise import` share once their flags are read: open and migrate the
 * configured stores, stream the file in with a progress bar, and report what was stored, duplicated,
 * rejected (each with its line and reason) and skipped.
 */
import { createWriteStream } from "node:fs";
import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { recordSchemas } from "../../models/contracts/index.ts";
import { imageUrlRules, loadOriginConfig, valueRanges } from "../config.ts";
import {
  eventTypeProblem,
  type FileFormat,
  type IngestFileOptions,
  type IngestSummary,
  ingestFile,
  MAPPED_EVENT_TYPES,
  type MappedEventType,
  openOriginStores,
  tableFormatOf,
} from "../ingest/index.ts";
import { columnMappingFrom, columnMappingOptions, hasColumnMapping } from "./column-mapping-options.ts";
import { type Command, UsageError } from "./command.ts";

const MiB = 1024 * 1024;

export const fileIngestionUsage = `  --event-type T    csv and parquet: what a row is, ${MAPPED_EVENT_TYPES.join(" | ")}
                    (default: rating for --value-kind rating, else view)
  --source NAME     csv, parquet, segment: the records' source (default import, segment)
  --batch-size N    records per transaction (default 5000)
  --errors FILE     write every rejected row to FILE (JSON lines: {"at": "line 12", "error": "…"})
  --no-progress     no progress bar

A count is stored as its event's value (a play count of 12 is one view with value 12), a rating as a
rating event. Rows without an id column get an event id derived from the row (type, user, item, time,
value), so importing the file again stores nothing twice.`;

const fileIngestionOptions = {
  ...columnMappingOptions,
  format: { type: "string" },
  "event-type": { type: "string" },
  source: { type: "string" },
  "batch-size": { type: "string" },
  errors: { type: "string" },
  "no-progress": { type: "boolean" },
} as const;

/** Reads the flags `ingest` and `import` share; `formats` are the ones the command accepts. */
export function fileIngestionArgs(args: string[], formats: readonly FileFormat[]) {
  const { values, positionals } = parseArgs({ args, allowPositionals: true, options: fileIngestionOptions });
  if (positionals.length !== 1) {
    throw new UsageError("name one FILE");
  }
  const path = positionals[0]!;
  const mapped = hasColumnMapping(values);
  // A mapping means a table: Parquet or CSV by the name. Parquet has no other reading.
  const named = tableFormatOf(path).format;
  const format = (values.format ?? (mapped || named === "parquet" ? named : undefined)) as
    | FileFormat
    | undefined;
  if (format !== undefined && !formats.includes(format)) {
    throw new UsageError(`--format must be one of ${formats.join(", ")}`);
  }
  const batchSize = Number(values["batch-size"] ?? 5000);
  if (!Number.isInteger(batchSize) || batchSize < 1) {
    throw new UsageError("--batch-size must be a positive integer");
  }
  const eventType = values["event-type"] as MappedEventType | undefined;
  if (eventType !== undefined && !MAPPED_EVENT_TYPES.includes(eventType)) {
    throw new UsageError(`--event-type must be one of ${MAPPED_EVENT_TYPES.join(", ")}`);
  }
  const tabular = format === "csv" || format === "parquet";
  if (!tabular && (mapped || eventType !== undefined)) {
    throw new UsageError("a column mapping and --event-type apply to --format csv and parquet");
  }
  if (!tabular && format !== "segment" && values.source !== undefined) {
    throw new UsageError("--source applies to --format csv, parquet and segment");
  }
  const { mapping, csv } = tabular
    ? columnMappingFrom(values, { requireTime: true })
    : { mapping: undefined, csv: undefined };
  const problem = mapping && eventType ? eventTypeProblem(mapping.valueKind, eventType) : null;
  if (problem !== null) {
    throw new UsageError(problem);
  }
  if (values.source !== undefined && !/^[a-z][a-z0-9_-]{0,31}$/.test(values.source)) {
    throw new UsageError("--source must be lower-case letters, digits, '_' or '-', at most 32 (web, crm, …)");
  }
  return {
    path,
    options: {
      batchSize,
      progress: !values["no-progress"],
      ...(format === undefined ? {} : { format }),
      ...(mapping === undefined ? {} : { mapping, csv }),
      ...(eventType === undefined ? {} : { eventType }),
      ...(values.source === undefined ? {} : { source: values.source }),
      ...(values.errors === undefined ? {} : { errorsFile: values.errors }),
    },
  };
}

export interface FileIngestionOptions extends IngestFileOptions {
  /** Draw a progress bar on stderr. */
  progress: boolean;
  /** Write every rejection to this file, one JSON object a line: {"at": "line 12", "error": "…"}. */
  errorsFile?: string;
}

/**
 * A command that ingests one file: `ingest` (every format) and `import` (the foreign ones, with
 * `requireFormat` when the name can't tell).
 */
export function fileIngestionCommand(spec: {
  summary: string;
  usage: string;
  formats: readonly FileFormat[];
  requireFormat?: string;
}): Command {
  return {
    summary: spec.summary,
    usage: spec.usage,
    async run(args) {
      const { path, options } = fileIngestionArgs(args, spec.formats);
      if (spec.requireFormat !== undefined && options.format === undefined) {
        throw new UsageError(spec.requireFormat);
      }
      return runFileIngestion(path, options);
    },
  };
}

/** Ingests `path` into the configured stores, prints the report, and returns the exit code. */
export async function runFileIngestion(path: string, options: FileIngestionOptions): Promise<number> {
  const config = loadOriginConfig();
  const stores = await openOriginStores(config);
  const bar = new SingleBar({
    format:
      "{label} |{bar}| {percentage}% | {done}/{total} {unit} | stored {stored}, duplicates {duplicates}, rejected {rejected}",
    stream: process.stderr,
    hideCursor: true,
  });
  const errors = options.errorsFile === undefined ? null : createWriteStream(options.errorsFile);
  let started = false;
  try {
    await stores.migrate();
    const summary = await ingestFile(path, stores, {
      ...options,
      recordSchema: recordSchemas(valueRanges(config), imageUrlRules(config)).IngestRecord,
      onRejected(where, message) {
        errors?.write(`${JSON.stringify({ at: where, error: message })}\n`);
      },
      onProgress(progress, running) {
        if (!options.progress) {
          return;
        }
        const inMib = progress.unit === "bytes";
        const payload = {
          label: running.format,
          done: inMib ? (progress.done / MiB).toFixed(1) : progress.done,
          total: inMib ? (progress.total / MiB).toFixed(1) : progress.total,
          unit: inMib ? "MiB" : "rows",
          stored: running.stored,
          duplicates: running.duplicates,
          rejected: running.rejected,
        };
        if (!started) {
          bar.start(progress.total, 0, payload);
          started = true;
        }
        bar.update(Math.min(progress.done, progress.total), payload);
      },
    });
    bar.stop();
    printSummary(path, summary, options.errorsFile);
    return summary.read > 0 && summary.rejected === summary.read ? 1 : 0;
  } finally {
    bar.stop();
    await new Promise((resolve) => (errors === null ? resolve(null) : errors.end(resolve)));
    await stores.close();
  }
}

function printSummary(path: string, summary: IngestSummary, errorsFile: string | undefined): void {
  console.log(
    `${path} (${summary.format}): read ${summary.read}, stored ${summary.stored}, ` +
      `duplicates ${summary.duplicates}, rejected ${summary.rejected}` +
      (summary.skipped > 0 ? `, skipped ${summary.skipped}` : ""),
  );
  for (const [reason, count] of Object.entries(summary.skippedReasons)) {
    console.log(`  skipped ${count}: ${reason}`);
  }
  for (const error of summary.errors) {
    console.log(`  rejected ${error}`);
  }
  if (summary.rejected > summary.errors.length) {
    const where = errorsFile === undefined ? "pass --errors FILE to keep them all" : `all in ${errorsFile}`;
    console.log(`  … and ${summary.rejected - summary.errors.length} more rejected (${where})`);
  }
}

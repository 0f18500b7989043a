import { parseArgs } from "node:util";
import { SingleBar } from "cli-progress";
import { recordSchemas } from "../../../models/contracts/index.ts";
import { loadOriginConfig, valueRanges } from "../../config.ts";
import { FILE_FORMATS, type FileFormat, ingestFile, openOriginStores } from "../../ingest/index.ts";
import { type Command, UsageError } from "../command.ts";

const usage = `usage: edgewise ingest FILE [--format FORMAT] [--batch-size N] [--no-progress]

Streams the records in FILE into the configured stores (see edgewise serve --help), in transactions of
--batch-size records (default 5000), and prints how many were stored, duplicates and rejected.
Idempotent: ingesting a file again stores nothing twice.

  --format FORMAT   ${FILE_FORMATS.join(" | ")}
                    default: from the name (.ndjson/.jsonl, .json, .csv = MovieLens ratings.csv,
                    u.data/.data/.tsv = MovieLens u.data)
  --batch-size N    records per transaction
  --no-progress     no progress bar`;

const MiB = 1024 * 1024;

export const ingestCommand: Command = {
  summary: "load NDJSON, JSON or MovieLens ratings from a file",
  usage,
  async run(args) {
    const { values, positionals } = parseArgs({
      args,
      allowPositionals: true,
      options: {
        format: { type: "string" },
        "batch-size": { type: "string" },
        "no-progress": { type: "boolean" },
      },
    });
    if (positionals.length !== 1) {
      throw new UsageError("name one FILE");
    }
    const format = values.format as FileFormat | undefined;
    if (format !== undefined && !FILE_FORMATS.includes(format)) {
      throw new UsageError(`--format must be one of ${FILE_FORMATS.join(", ")}`);
    }
    const batchSize = Number(values["batch-size"] ?? 5000);
    if (!Number.isInteger(batchSize) || batchSize < 1) {
      throw new UsageError("--batch-size must be a positive integer");
    }

    const config = loadOriginConfig();
    const stores = await openOriginStores(config);
    const bar = new SingleBar({
      format:
        "ingest |{bar}| {percentage}% | {mib}/{totalMib} MiB | stored {stored}, duplicates {duplicates}, rejected {rejected}",
      stream: process.stderr,
      hideCursor: true,
    });
    const showProgress = !values["no-progress"];
    try {
      await stores.migrate();
      let started = false;
      const summary = await ingestFile(positionals[0]!, stores, {
        ...(format === undefined ? {} : { format }),
        batchSize,
        recordSchema: recordSchemas(valueRanges(config)).IngestRecord,
        onProgress(bytesRead, progress) {
          if (!showProgress) {
            return;
          }
          const payload = {
            mib: (bytesRead / MiB).toFixed(1),
            totalMib: (progress.sizeBytes / MiB).toFixed(1),
            stored: progress.stored,
            duplicates: progress.duplicates,
            rejected: progress.rejected,
          };
          if (!started) {
            bar.start(progress.sizeBytes, 0, payload);
            started = true;
          }
          bar.update(Math.min(bytesRead, progress.sizeBytes), payload);
        },
      });
      bar.stop();
      console.log(
        `${positionals[0]} (${summary.format}): read ${summary.read}, stored ${summary.stored}, ` +
          `duplicates ${summary.duplicates}, rejected ${summary.rejected}`,
      );
      for (const error of summary.errors) {
        console.log(`  rejected ${error}`);
      }
      if (summary.rejected > summary.errors.length) {
        console.log(`  … and ${summary.rejected - summary.errors.length} more rejected`);
      }
      return summary.read > 0 && summary.rejected === summary.read ? 1 : 0;
    } finally {
      bar.stop();
      await stores.close();
    }
  },
};
